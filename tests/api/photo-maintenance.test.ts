import { mkdirSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { verifyAuditChain } from '../../server/modules/audit/audit.service.js';
import { deleteExpiredPhotos, sweepOrphanBlobs } from '../../server/modules/photos/maintenance.service.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';
import { photographicJpeg } from '../support/images.js';
import { blobFiles, upload, type UploadedPhoto } from '../support/photos.js';

const DAY = 86_400_000;
const blobPath = (id: string) => path.join(id.slice(0, 2), id);

describe.each(testEngines())('photo retention and blob housekeeping [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let clock: ManualClock;
  let groupId: string;

  beforeAll(async () => {
    clock = new ManualClock('2026-01-05T09:00:00Z');
    // A retention other than the default, to show the setting is the one applied.
    t = await createTestContext(engine, { clock, env: { RETENTION_UNPUBLISHED_DAYS: '30' } });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    const dir = await demoDirectory(app);
    groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
  });
  afterAll(() => t?.close());

  /** Uploads one photo at the clock's current time (signing in afresh: sessions follow the clock). */
  async function uploadNow(seed: number): Promise<UploadedPhoto & { blobs: string[] }> {
    const staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
    const res = await upload(staff, groupId, [{ name: `${seed}.jpg`, bytes: await photographicJpeg(320, 240, seed) }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const photo = res.photos[0]!;
    const row = await t.ctx.db.selectFrom('photos').select(['display_blob', 'thumb_blob']).where('id', '=', photo.id).executeTakeFirstOrThrow();
    return { ...photo, blobs: [row.display_blob, row.thumb_blob] };
  }

  const rowExists = async (id: string) => (await t.ctx.db.selectFrom('photos').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

  it('deletes photos older than RETENTION_UNPUBLISHED_DAYS with their blobs, audits each deletion, and leaves younger ones', async () => {
    const old = await uploadNow(1);
    clock.advance(20 * DAY);
    const young = await uploadNow(2);
    // 29 days after the first upload nothing is due yet.
    clock.advance(9 * DAY);
    expect(await deleteExpiredPhotos(t.ctx)).toBe(0);
    expect(await rowExists(old.id)).toBe(true);

    clock.advance(1 * DAY + 60_000);
    expect(await deleteExpiredPhotos(t.ctx)).toBe(1);
    expect(await rowExists(old.id)).toBe(false);
    for (const b of old.blobs) expect(blobFiles(t.dataDir)).not.toContain(blobPath(b));
    expect(await rowExists(young.id)).toBe(true);
    for (const b of young.blobs) expect(blobFiles(t.dataDir)).toContain(blobPath(b));
    const staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
    expect((await staff.get(`/api/photos/${old.id}`)).status).toBe(404);
    expect((await staff.get(young.urls.display)).status).toBe(200);

    const events = await findAuditEvents(t.ctx.db, { action: 'photo.retention_deleted', limit: 10 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ object_type: 'photo', object_id: old.id, actor_id: null, at: clock.now().toISOString() });
    expect(JSON.parse(events[0]!.payload)).toEqual({ groupId, days: 30 });
    expect((await verifyAuditChain(t.ctx)).ok).toBe(true);

    // Running again deletes nothing more, until the younger one is due as well.
    expect(await deleteExpiredPhotos(t.ctx)).toBe(0);
    clock.advance(20 * DAY);
    expect(await deleteExpiredPhotos(t.ctx)).toBe(1);
    expect(await rowExists(young.id)).toBe(false);
    for (const b of young.blobs) expect(blobFiles(t.dataDir)).not.toContain(blobPath(b));
  });

  it('the orphan sweep removes a blob no photo refers to, keeps referenced blobs, and leaves young orphans alone', async () => {
    const kept = await uploadNow(3);
    const orphan = await t.ctx.blobs.put(Buffer.from('a derivative whose row was never committed'));
    expect(blobFiles(t.dataDir)).toContain(blobPath(orphan));

    // By default a blob younger than an hour may belong to an upload still committing.
    expect(await sweepOrphanBlobs(t.ctx)).toBe(0);
    expect(blobFiles(t.dataDir)).toContain(blobPath(orphan));

    expect(await sweepOrphanBlobs(t.ctx, 0)).toBe(1);
    expect(blobFiles(t.dataDir)).not.toContain(blobPath(orphan));
    for (const b of kept.blobs) expect(blobFiles(t.dataDir)).toContain(blobPath(b));
    expect(await t.ctx.blobs.get(kept.blobs[0]!)).not.toBeNull();
    expect(await sweepOrphanBlobs(t.ctx, 0)).toBe(0);
  });

  it('blob writes are atomic: no temporary file is left behind, blobs are private, and an abandoned temporary file is cleared by the sweep', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => t.ctx.blobs.put(Buffer.alloc(64 * 1024, i))));
    await uploadNow(4);
    const files = blobFiles(t.dataDir);
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
    for (const id of ids) {
      expect(files).toContain(blobPath(id));
      expect((await t.ctx.blobs.get(id))!.length).toBe(64 * 1024);
      expect(statSync(path.join(t.dataDir, 'blobs', blobPath(id))).mode & 0o777).toBe(0o600);
    }
    // A write interrupted by a crash leaves only its temporary name, never a blob under a real id.
    const shard = path.join(t.dataDir, 'blobs', 'ab');
    mkdirSync(shard, { recursive: true });
    const stale = path.join(shard, `.ab${'0'.repeat(30)}.tmp`);
    const fresh = path.join(shard, `.ab${'1'.repeat(30)}.tmp`);
    writeFileSync(stale, 'half a blob');
    writeFileSync(fresh, 'a blob being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    expect(await t.ctx.blobs.get(`ab${'0'.repeat(30)}`)).toBeNull();
    expect(await sweepOrphanBlobs(t.ctx, 0)).toBe(ids.length);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
