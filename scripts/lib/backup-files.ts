/**
 * The backup folder: its manifest, and the photo blobs copied into it and back. A backup is
 *
 *   manifest.json        what is in it, with sizes and SHA-256 hashes; written last
 *   database.sqlite      SQLite: a copy made with SQLite's online backup API
 *   database.pgdump      PostgreSQL: pg_dump --format=custom of the app's schema
 *   blobs/ab/abcd…       every photo derivative, laid out as in DATA_DIR/blobs
 *
 * A folder without manifest.json is an unfinished backup and is never restored.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../../db/dialect.js';

export class BackupError extends Error {
  override name = 'BackupError';
}

export const MANIFEST = 'manifest.json';
const FORMAT = 'samtykke-backup';

export interface BlobEntry {
  id: string;
  bytes: number;
  sha256: string;
}

/** What the database held at the moment it was copied. */
export interface Snapshot {
  /** Audit events, and the last one's sequence number and hash: restore checks the chain ends there. */
  auditEvents: number;
  lastSeq: number;
  lastHash: string | null;
  /** Blob ids that rows of the copy refer to (photos and publication derivatives). */
  referencedBlobs: string[];
}

export interface Manifest {
  format: typeof FORMAT;
  version: 1;
  createdAt: string;
  engine: Engine;
  /** PostgreSQL: the schema dumped (restore brings it back under the same name). */
  schema: string | null;
  database: { file: string; bytes: number; sha256: string };
  audit: { events: number; lastSeq: number; lastHash: string | null };
  blobs: BlobEntry[];
}

const BLOB_ID = /^[a-f0-9]{32}$/;
const SHARD = /^[a-f0-9]{2}$/;

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function sha256File(file: string): Promise<{ bytes: number; sha256: string }> {
  const bytes = await readFile(file);
  return { bytes: bytes.length, sha256: sha256(bytes) };
}

/** Writes to a temporary name, flushes to disk and renames, as the blob store does. */
export async function writeDurably(file: string, bytes: Buffer | string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/** Completed blobs under a blob folder (temporary files of unfinished writes are not blobs). */
export async function listBlobIds(root: string): Promise<string[]> {
  const ids: string[] = [];
  for (const shard of await readdir(root).catch(() => [] as string[])) {
    if (!SHARD.test(shard)) continue;
    for (const name of await readdir(path.join(root, shard)).catch(() => [] as string[])) if (BLOB_ID.test(name)) ids.push(name);
  }
  return ids.sort();
}

export const blobPath = (root: string, id: string) => path.join(root, id.slice(0, 2), id);

/**
 * Copies the blobs not yet in `copied` from one blob folder to another. Blobs are written under
 * a temporary name and renamed, so every file with a blob's name is complete; one deleted while
 * we copy is skipped.
 */
export async function copyBlobs(from: string, to: string, copied: Map<string, BlobEntry>): Promise<void> {
  for (const id of await listBlobIds(from)) {
    if (copied.has(id)) continue;
    let bytes: Buffer;
    try {
      bytes = await readFile(blobPath(from, id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    await writeDurably(blobPath(to, id), bytes);
    copied.set(id, { id, bytes: bytes.length, sha256: sha256(bytes) });
  }
}

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(dir)) throw new BackupError(`there is no folder ${dir}.`);
  if (!existsSync(file)) throw new BackupError(`${dir} is not a finished Samtykke backup: it has no ${MANIFEST}.`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    throw new BackupError(`${file} cannot be read as JSON: the backup is damaged.`);
  }
  if (m?.format !== FORMAT || m.version !== 1 || !m.database?.file || !Array.isArray(m.blobs)) {
    throw new BackupError(`${file} is not a manifest of a Samtykke backup this version can restore.`);
  }
  return m;
}

/**
 * Checks every file of a backup against its manifest before anything is restored: a damaged
 * or incomplete backup is refused whole, not half restored.
 */
export async function verifyBackupFiles(dir: string, m: Manifest): Promise<void> {
  const db = path.join(dir, m.database.file);
  if (!existsSync(db)) throw new BackupError(`the backup is incomplete: ${m.database.file} is missing.`);
  const dbSum = await sha256File(db);
  if (dbSum.sha256 !== m.database.sha256 || dbSum.bytes !== m.database.bytes) {
    throw new BackupError(`the backup is damaged: ${m.database.file} is not the file the manifest describes (size or SHA-256 differs).`);
  }
  const bad: string[] = [];
  for (const b of m.blobs) {
    if (!BLOB_ID.test(b.id)) throw new BackupError(`the manifest names a blob with an invalid id: ${JSON.stringify(b.id)}.`);
    const file = blobPath(path.join(dir, 'blobs'), b.id);
    const sum = existsSync(file) ? await sha256File(file) : null;
    if (!sum || sum.sha256 !== b.sha256 || sum.bytes !== b.bytes) bad.push(b.id);
  }
  if (bad.length > 0) {
    throw new BackupError(`the backup is damaged: ${bad.length} of ${m.blobs.length} photo files are missing or differ from the manifest (first: blobs/${bad[0]!.slice(0, 2)}/${bad[0]}).`);
  }
}

/**
 * Puts the backup's blobs into a blob folder, each checked again as it is written. With
 * `replace`, blobs the backup does not have are removed, so the folder holds exactly the backup's.
 */
export async function restoreBlobs(dir: string, m: Manifest, to: string, replace: boolean): Promise<{ written: number; removed: number }> {
  const from = path.join(dir, 'blobs');
  for (const b of m.blobs) {
    const bytes = await readFile(blobPath(from, b.id));
    if (sha256(bytes) !== b.sha256) throw new BackupError(`the photo file ${b.id} changed while it was being restored.`);
    await writeDurably(blobPath(to, b.id), bytes);
  }
  let removed = 0;
  if (replace) {
    const keep = new Set(m.blobs.map((b) => b.id));
    for (const id of await listBlobIds(to)) {
      if (keep.has(id)) continue;
      await rm(blobPath(to, id), { force: true });
      removed += 1;
    }
  }
  return { written: m.blobs.length, removed };
}
