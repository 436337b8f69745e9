import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where derivatives live. Blob ids are random; nothing about a blob reveals whose photo it is. */
export interface BlobStore {
  /** Stores the bytes durably and returns a new id; the bytes are on disk when this resolves. */
  put(bytes: Buffer): Promise<string>;
  get(id: string): Promise<Buffer | null>;
  delete(id: string): Promise<void>;
  /** Every blob id with the time it was written, for the orphan sweep. */
  list(): AsyncIterable<{ id: string; writtenAt: Date }>;
}

const ID = /^[a-f0-9]{32}$/;

/**
 * Blobs as files under one folder, outside anything served statically. Each is written to a
 * temporary name, flushed to disk and renamed, so a crash never leaves half a blob under a real id.
 */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private pathOf(id: string): string {
    if (!ID.test(id)) throw new Error('Not a blob id');
    return path.join(this.root, id.slice(0, 2), id);
  }

  async put(bytes: Buffer): Promise<string> {
    const id = randomBytes(16).toString('hex');
    const final = this.pathOf(id);
    const dir = path.dirname(final);
    const temp = path.join(dir, `.${id}.tmp`);
    const file = await open(temp, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
      // The first blob of its shard (there are 256): the folder is made then, not asked for every time.
      if (err.code !== 'ENOENT') throw err;
      mkdirSync(dir, { recursive: true });
      return open(temp, 'wx', 0o600);
    });
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, final);
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
    return id;
  }

  async get(id: string): Promise<Buffer | null> {
    if (!ID.test(id)) return null;
    try {
      return await readFile(this.pathOf(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await rm(this.pathOf(id), { force: true });
  }

  async *list(): AsyncIterable<{ id: string; writtenAt: Date }> {
    for (const shard of await readdir(this.root).catch(() => [] as string[])) {
      if (!/^[a-f0-9]{2}$/.test(shard)) continue;
      for (const name of await readdir(path.join(this.root, shard))) {
        const full = path.join(this.root, shard, name);
        if (ID.test(name)) yield { id: name, writtenAt: (await stat(full)).mtime };
        // A temp file older than an hour is a write that never finished.
        else if (name.endsWith('.tmp') && Date.now() - (await stat(full)).mtimeMs > 3600_000) await rm(full, { force: true });
      }
    }
  }
}
