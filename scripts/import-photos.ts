import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import type { Actor } from '../server/context.js';
import { findAccountByEmail } from '../server/modules/auth/account.repository.js';
import { uploadPhotos, type UploadError } from '../server/modules/photos/photo.service.js';
import { fail, openForCli } from './cli.js';

const USAGE = 'Usage: npm run import:photos -- <folder> --group <group id> --as <staff or leader e-mail>';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { group: { type: 'string' }, as: { type: 'string' }, help: { type: 'boolean', default: false } },
});
if (values.help || positionals.length !== 1 || !values.group) fail(USAGE, values.help ? 0 : 64);
const folder = positionals[0]!;

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(dir, f))
      .filter((f) => statSync(f).isFile() && !path.basename(f).startsWith('.'))
      .sort();
  } catch {
    fail(`Cannot read the folder ${dir}.`);
  }
}

const files = filesIn(folder);
if (files.length === 0) fail(`There are no files in ${folder}.`);

const { ctx, handle } = await openForCli();
const email = values.as ?? (ctx.config.demo ? 'ansatt@demo.no' : undefined);
if (!email) fail(`Name the staff member or leader the photos are uploaded as, for the audit log.\n${USAGE}`);
const account = await findAccountByEmail(ctx.db, email);
if (!account?.active || (account.role !== 'staff' && account.role !== 'leader')) fail(`${email} is not an active staff or leader account.`);
const actor: Actor = { accountId: account.id, sessionId: 'cli', role: account.role, organisationId: account.organisation_id, unitId: account.unit_id, personId: null };

// Through the same pipeline and service as the web upload, a few files at a time so that
// memory stays flat whatever the size of the archive.
const BATCH = 4;
const bar = new SingleBar({ format: 'Importing [{bar}] {percentage}% | {value}/{total} files | {refused} refused', stream: process.stderr }, Presets.shades_classic);
bar.start(files.length, 0, { refused: 0 });
const refused: (UploadError & { path: string })[] = [];
let stored = 0;
try {
  for (let i = 0; i < files.length; i += BATCH) {
    const batch = files.slice(i, i + BATCH);
    const result = await uploadPhotos(
      ctx,
      actor,
      values.group!,
      batch.map((f) => ({ name: f, bytes: readFileSync(f) })),
    );
    stored += result.photos.length;
    for (const e of result.errors) refused.push({ ...e, path: e.file });
    bar.update(Math.min(i + BATCH, files.length), { refused: refused.length });
  }
} catch (err) {
  bar.stop();
  await handle.close();
  fail(err instanceof Error ? err.message : String(err));
}
bar.stop();
await handle.close();
console.log(`${stored} photo(s) imported, ${refused.length} refused, from ${files.length} file(s).`);
for (const r of refused) console.log(`  refused ${path.relative(folder, r.path)}: ${r.message} (${r.code})`);
