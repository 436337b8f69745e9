import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import type { Actor } from '../server/context.js';
import { findAccountByEmail } from '../server/modules/auth/account.repository.js';
import { importRoster, type ImportReport } from '../server/modules/roster/import.service.js';
import { fail, openForCli } from './cli.js';

const USAGE = 'Usage: npm run import:roster -- <file.csv> --admin <admin e-mail> [--dry-run]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { admin: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (values.help || positionals.length !== 1) fail(USAGE, values.help ? 0 : 64);
let csv: string;
try {
  csv = readFileSync(positionals[0]!, 'utf8');
} catch {
  fail(`Cannot read the file ${positionals[0]}.`);
}

const { ctx, handle } = await openForCli();
const adminEmail = values.admin ?? process.env.IMPORT_ADMIN_EMAIL ?? (ctx.config.demo ? 'admin@demo.no' : undefined);
if (!adminEmail) fail(`Name the admin the import is done as, for the audit log.\n${USAGE}`);
const account = await findAccountByEmail(ctx.db, adminEmail);
if (!account || account.role !== 'admin' || !account.active) fail(`${adminEmail} is not an active admin account.`);
const actor: Actor = { accountId: account.id, sessionId: 'cli', role: 'admin', organisationId: account.organisation_id, unitId: null, personId: null };

function printReport(r: ImportReport): void {
  const s = r.summary;
  console.log(
    [
      `${r.dryRun ? 'Dry run' : 'Import'}: ${r.rows} rows`,
      `  children: ${s.childrenCreated} new, ${s.childrenUpdated} updated`,
      `  guardians: ${s.guardiansCreated} new; guardian links: ${s.linksCreated} new, ${s.linksUpdated} updated`,
      `  groups: ${s.groupsCreated} new; memberships: ${s.membershipsCreated} new`,
      `  rows that changed nothing: ${s.unchanged}`,
    ].join('\n'),
  );
  for (const e of r.errors) console.log(`  line ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}`);
}

async function run(dryRun: boolean): Promise<ImportReport> {
  const bar = new SingleBar({ format: `${dryRun ? 'Checking' : 'Importing'} [{bar}] {percentage}% | {value}/{total} rows`, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  try {
    return await importRoster(ctx, actor, csv, {
      dryRun,
      onProgress: (done, total) => {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    });
  } finally {
    if (started) bar.stop();
  }
}

// The dry run always comes first; nothing is written unless it found no errors.
const dry = await run(true);
printReport(dry);
if (dry.errors.length > 0) {
  await handle.close();
  fail(`\n${dry.errors.length} error(s) found. Nothing was imported.`, 65);
}
if (!values['dry-run']) {
  const done = await run(false);
  printReport(done);
}
await handle.close();
