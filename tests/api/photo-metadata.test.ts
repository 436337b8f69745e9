import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';
import { jpegSegment, MARKERS, photographicJpeg, PLANTED_CAPTURE, PLANTED_EXIF, PLANTED_GPS, plantedFixtures, refusedFixtures } from '../support/images.js';
import { blobFiles, fetchDerivatives, metadataProblems, photoRowCount, ROOT, textsIn, upload, type Agent, type UploadedPhoto } from '../support/photos.js';

// The sharp calls that carry the input's metadata (or its embedded thumbnail) into the output,
// or write metadata of their own. Test fixtures may use them; the server never.
const METADATA_KEEPING_CALLS = ['keepMetadata', 'withMetadata', 'keepExif', 'keepXmp', 'withExif', 'withExifMerge', 'withDensity', 'keepIccProfile', 'withIccProfile', 'withXmp'];

describe('the server never asks sharp to keep or write metadata', () => {
  it(`no file under server/ mentions ${METADATA_KEEPING_CALLS.join(', ')}`, () => {
    const dir = path.join(ROOT, 'server');
    const files = (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => /\.[cm]?[jt]sx?$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8');
      return METADATA_KEEPING_CALLS.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).map((name) => `server/${f}: ${name}`);
    });
    expect(found).toEqual([]);
  });
});

describe('the derivative check can fail', () => {
  it('finds every planted marker and container in the planted originals', async () => {
    for (const f of await plantedFixtures()) {
      for (const m of f.markers) expect(f.bytes.includes(Buffer.from(m, 'latin1')), `${f.name} carries ${m}`).toBe(true);
      if (!f.name.endsWith('.jpg')) continue;
      const problems = await metadataProblems(f.bytes, f.markers);
      for (const m of f.markers) expect(problems, `${f.name}: ${m} is reported`).toContain(`contains ${JSON.stringify(m)}`);
      expect(problems.some((p) => p.includes('bytes after EOI') || p.includes('end-of-image'))).toBe(true);
    }
    const jpeg = (await plantedFixtures()).find((f) => f.name === 'planted.jpg')!;
    const problems = await metadataProblems(jpeg.bytes);
    expect(problems).toContain('has metadata segments APP1, APP1, APP2, APP13, COM');
    expect(problems.find((p) => p.startsWith('exifr reads'))).toMatch(/GPSLatitude/);
  });
});

describe.each(testEngines())('photo metadata [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let staff: Agent;
  let groupId: string;
  const stored: { name: string; photo: UploadedPhoto }[] = [];

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    const dir = await demoDirectory(app);
    groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
    staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
  });
  afterAll(() => t?.close());

  it('planted EXIF, GPS, XMP, IPTC, ICC, comments, PNG text and trailers never survive into a derivative; the capture time is kept', async () => {
    const fixtures = await plantedFixtures();
    const res = await upload(staff, groupId, fixtures);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.errors).toEqual([]);
    expect(res.photos).toHaveLength(fixtures.length);
    for (const [i, f] of fixtures.entries()) {
      const photo = res.photos[i]!;
      stored.push({ name: f.name, photo });
      expect(photo.capturedAt, `${f.name}: capture time`).toBe(f.capturedAt);
      expect(Math.max(photo.width, photo.height)).toBeLessThanOrEqual(1600);
      expect(Math.max(photo.thumbWidth, photo.thumbHeight)).toBeLessThanOrEqual(320);
      const forbidden = [...f.markers, ...(await textsIn(f.bytes)), ...PLANTED_GPS.texts];
      const d = await fetchDerivatives(staff, photo);
      expect(await metadataProblems(d.display, forbidden), `${f.name} display derivative`).toEqual([]);
      expect(await metadataProblems(d.thumb, forbidden), `${f.name} thumbnail`).toEqual([]);
    }
    // The 1800×1200 JPEG is downscaled to the display limit, keeping its shape.
    expect([stored[0]!.photo.width, stored[0]!.photo.height]).toEqual([1600, 1067]);
    const listed = await staff.get(`/api/photos?groupId=${groupId}`);
    expect(listed.body.photos.find((p: UploadedPhoto) => p.id === stored[0]!.photo.id).capturedAt).toBe('2024-05-17T10:11:12+02:00');
  });

  it('the capture time is found behind other segments: comments, IPTC and XMP before the Exif, the photo arriving in many chunks', async () => {
    const base = await sharp(await photographicJpeg(1200, 900, 5)).withExif(PLANTED_EXIF).jpeg({ quality: 85 }).toBuffer();
    // Straight after the start of image, ahead of the Exif segment sharp wrote.
    const ahead = [
      jpegSegment(0xfe, Buffer.alloc(1000, 0x41)),
      jpegSegment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), Buffer.alloc(2000, 0x20)])),
      jpegSegment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.alloc(60_000, 0x20)])),
      jpegSegment(0xe2, Buffer.alloc(60_000, 0x42)),
    ];
    const bytes = Buffer.concat([base.subarray(0, 2), ...ahead, base.subarray(2)]);
    const res = await upload(staff, groupId, [{ name: 'late-exif.jpg', bytes }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.photos[0]!.capturedAt).toBe(PLANTED_CAPTURE.capturedAt);
  });

  it('GPS is never stored: neither the database nor the blob folder holds the GPS marker or the coordinates', async () => {
    expect(stored.length).toBeGreaterThan(0);
    const needles = [MARKERS.gps, ...PLANTED_GPS.texts, MARKERS.xmp, MARKERS.make, MARKERS.artist];
    const haystacks: { where: string; bytes: Buffer }[] = [];
    if (engine === 'sqlite') {
      // The whole database file, with its write-ahead log, as bytes.
      for (const f of readdirSync(t.dataDir).filter((f) => f.startsWith('test.sqlite'))) haystacks.push({ where: f, bytes: readFileSync(path.join(t.dataDir, f)) });
      expect(haystacks.length).toBeGreaterThan(0);
    } else {
      // Every row of every table in this test's schema, as text.
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${t.schema} and table_type = 'BASE TABLE'`.execute(t.ctx.db);
      expect(tables.rows.length).toBeGreaterThan(5);
      for (const { table_name } of tables.rows) {
        const rows = await sql<{ row: string }>`select t::text as row from ${sql.id(t.schema!, table_name)} t`.execute(t.ctx.db);
        haystacks.push({ where: table_name, bytes: Buffer.from(rows.rows.map((r) => r.row).join('\n')) });
      }
    }
    for (const f of blobFiles(t.dataDir)) haystacks.push({ where: `blobs/${f}`, bytes: readFileSync(path.join(t.dataDir, 'blobs', f)) });
    const found = haystacks.flatMap((h) => needles.filter((n) => h.bytes.includes(Buffer.from(n, 'latin1')) || h.bytes.includes(Buffer.from(n, 'utf16le'))).map((n) => `${h.where}: ${n}`));
    expect(found).toEqual([]);
    // The capture time, which may be kept, is in the database: the search does look in it.
    const haystack = Buffer.concat(haystacks.map((h) => h.bytes));
    expect(haystack.includes('2024-05-17T10:11:12+02:00')).toBe(true);
  });

  it('too many pixels, truncated and corrupt images, empty files, SVG, HTML, PDF and executables are refused with their code, and nothing is stored', async () => {
    const fixtures = await refusedFixtures();
    const blobsBefore = blobFiles(t.dataDir).length;
    const rowsBefore = await photoRowCount(t.ctx);
    for (const f of fixtures) {
      const res = await upload(staff, groupId, [f]);
      expect(res.status, `${f.name}: ${JSON.stringify(res.body)}`).toBe(f.status);
      expect(res.errors).toEqual([{ file: f.name, code: f.code, status: f.status, message: expect.any(String) }]);
    }
    // All at once: one refusal per file, in order, and the answer is 422 as not all are 415.
    const all = await upload(staff, groupId, fixtures);
    expect(all.status).toBe(422);
    expect(all.errors.map((e) => [e.file, e.code])).toEqual(fixtures.map((f) => [f.name, f.code]));
    expect(blobFiles(t.dataDir)).toHaveLength(blobsBefore);
    expect(await photoRowCount(t.ctx)).toBe(rowsBefore);
  });
});
