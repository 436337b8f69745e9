import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeKeptRamFiles, renderDerivatives, withUnnamedCopy } from '../../server/adapters/image.js';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { openRamFiles, ramFilesHoldingData } from '../../scripts/lib/ram-files.js';
import { as, tokenFor } from '../support/http.js';
import { orientedJpeg, photographicJpeg, pictureDistance, plantedFixtures, truncatedJpeg, turnedVariants } from '../support/images.js';
import {
  blobFiles,
  fetchDerivatives,
  metadataProblems,
  photoRowCount,
  sharedFixtures,
  textsIn,
  upload,
  type Agent,
  type UploadedPhoto,
} from '../support/photos.js';

const metadataImages = sharedFixtures('metadata');
const orientationImages = sharedFixtures('orientation');
const notImages = sharedFixtures('not-images');
const HAS_EXIFTOOL = spawnSync('exiftool', ['-ver']).status === 0;
if (!HAS_EXIFTOOL) console.warn(process.env.CI ? 'exiftool is missing on CI: the exiftool test will fail.' : 'Skipping the exiftool test: exiftool is not installed (apt-get install libimage-exiftool-perl).');

/** What the API must answer for a shared fixture it cannot take; every other one must be accepted. */
function expectedRefusal(name: string): { status: 415 | 422; code: string } | null {
  if (/\.(gif|bmp|tiff?)$/i.test(name)) return { status: 415, code: 'UNSUPPORTED_FORMAT' };
  // The exiftool sample is only the first 623 bytes of an iPhone HEIC: its HEVC data is cut off.
  if (name === 'QuickTime.heic') return { status: 422, code: 'CORRUPT_IMAGE' };
  return null;
}

// Same picture: well under 4 (JPEG noise). Turned or mirrored: 25 and more on these images.
const SAME_PICTURE = 4;
/** Names of this process's in the RAM folder the pipeline reads JPEGs through (there should be none). */
const scratchFiles = () => (existsSync('/dev/shm') ? readdirSync('/dev/shm').filter((f) => f.startsWith(`samtykke-${process.pid}-`)) : []);
/** Files of that folder this process still holds open, and their sizes. */
const openScratchFiles = () => openRamFiles().map((f) => f.target);
const ramFileSizes = () => openRamFiles().map((f) => f.size);
/** Those of them holding any byte of an upload (a file kept for the next upload holds only zeros). */
const scratchFilesWithData = () => ramFilesHoldingData().map((f) => f.target);
const DIFFERENT_PICTURE = 15;

describe.each(testEngines())('photo upload [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let staff: Agent;
  let groupId: string;
  let otherUnitGroupId: string;
  /** Every derivative made in this file, for the exiftool pass. */
  const derivatives: { label: string; bytes: Buffer }[] = [];

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    const dir = await demoDirectory(app);
    groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
    otherUnitGroupId = (await dir.groups('Fjellet skole')).find((g) => g.name === '10B')!.id;
    staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
  });
  afterAll(() => t?.close());

  /** Uploads one file on its own and returns what was stored, checking that a refusal stores nothing. */
  async function uploadOne(name: string, bytes: Buffer) {
    const blobsBefore = blobFiles(t.dataDir).length;
    const rowsBefore = await photoRowCount(t.ctx);
    const res = await upload(staff, groupId, [{ name, bytes }]);
    if (res.status !== 201) {
      expect(blobFiles(t.dataDir), `${name}: no blob written for a refused file`).toHaveLength(blobsBefore);
      expect(await photoRowCount(t.ctx), `${name}: no row for a refused file`).toBe(rowsBefore);
    }
    return res;
  }

  async function derivativesOf(photo: UploadedPhoto, label: string) {
    const d = await fetchDerivatives(staff, photo);
    derivatives.push({ label: `${label} display`, bytes: d.display }, { label: `${label} thumb`, bytes: d.thumb });
    return d;
  }

  it.skipIf(!metadataImages)('every shared metadata photo is stored only as clean derivatives, and GIF, BMP, TIFF and the cut-off HEIC are refused with nothing stored', async () => {
    let withMetadata = 0;
    for (const { name, bytes } of metadataImages!) {
      const res = await uploadOne(name, bytes);
      const refusal = expectedRefusal(name);
      if (refusal) {
        expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(refusal.status);
        expect(res.photos).toEqual([]);
        expect(res.errors).toEqual([expect.objectContaining({ file: name, code: refusal.code, status: refusal.status })]);
        expect(res.errors[0]!.message.length).toBeGreaterThan(10);
        continue;
      }
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(res.errors).toEqual([]);
      expect(res.photos).toHaveLength(1);
      const texts = await textsIn(bytes);
      if (texts.length > 0) withMetadata += 1;
      const d = await derivativesOf(res.photos[0]!, name);
      expect(await metadataProblems(d.display, texts), `${name} display derivative`).toEqual([]);
      expect(await metadataProblems(d.thumb, texts), `${name} thumbnail`).toEqual([]);
    }
    // The folder is there to carry metadata: make sure the test really looked for some.
    expect(withMetadata).toBeGreaterThanOrEqual(15);
  });

  it.skipIf(!notImages)('every file in not-images/ is refused as UNSUPPORTED_FORMAT, even named .jpg, and nothing is stored', async () => {
    for (const { name, bytes } of notImages!) {
      for (const uploadedAs of [name, `${path.parse(name).name}.jpg`]) {
        const res = await uploadOne(uploadedAs, bytes);
        expect(res.status, `${uploadedAs}: ${JSON.stringify(res.body)}`).toBe(415);
        expect(res.photos).toEqual([]);
        expect(res.errors).toEqual([expect.objectContaining({ file: uploadedAs, code: 'UNSUPPORTED_FORMAT', status: 415 })]);
      }
    }
    // All of them in one request: one refusal each, still nothing stored.
    const blobsBefore = blobFiles(t.dataDir).length;
    const all = await upload(staff, groupId, notImages!);
    expect(all.status).toBe(415);
    expect(all.errors.map((e) => `${e.file} ${e.code}`)).toEqual(notImages!.map((f) => `${f.name} UNSUPPORTED_FORMAT`));
    expect(blobFiles(t.dataDir)).toHaveLength(blobsBefore);
  });

  /** Uploads orientations 1–8 and checks that each derivative looks like orientation 1's. */
  async function expectAllUpright(label: string, files: Map<number, Buffer>) {
    const outputs = new Map<number, { photo: UploadedPhoto; display: Buffer }>();
    for (const [o, bytes] of files) {
      const res = await uploadOne(`${label}_${o}.jpg`, bytes);
      expect(res.status, `${label} ${o}: ${JSON.stringify(res.body)}`).toBe(201);
      const d = await derivativesOf(res.photos[0]!, `${label}_${o}`);
      expect(await metadataProblems(d.display), `${label} ${o}`).toEqual([]);
      outputs.set(o, { photo: res.photos[0]!, display: d.display });
    }
    const upright = outputs.get(1)!;
    for (const [o, out] of outputs) {
      expect([out.photo.width, out.photo.height], `${label} orientation ${o}: size`).toEqual([upright.photo.width, upright.photo.height]);
      expect(await pictureDistance(upright.display, out.display), `${label} orientation ${o} looks like orientation 1`).toBeLessThan(SAME_PICTURE);
    }
    // The comparison can tell: every turned or mirrored copy of the upright picture fails it.
    for (const v of await turnedVariants(upright.display)) {
      expect(await pictureDistance(upright.display, v.bytes), `${label} ${v.name}`).toBeGreaterThan(DIFFERENT_PICTURE);
    }
  }

  it.skipIf(!orientationImages)('the shared orientation photos 1–8 all come out upright', async () => {
    for (const shape of ['Landscape', 'Portrait']) {
      const files = new Map(orientationImages!.filter((f) => f.name.startsWith(`${shape}_`)).map((f) => [Number(/_(\d)\./.exec(f.name)![1]), f.bytes]));
      expect([...files.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await expectAllUpright(shape, files);
    }
  });

  it('generated photos under EXIF orientations 1–8 all come out upright', async () => {
    for (const shape of ['landscape', 'portrait'] as const) {
      const files = new Map<number, Buffer>();
      for (let o = 1; o <= 8; o++) files.set(o, await orientedJpeg(o, shape));
      await expectAllUpright(`generated-${shape}`, files);
    }
  });

  it('12-megapixel phone photos, decoded at half size, come out 1600 px, upright, clean and the same picture as a full decode', async () => {
    // A 4000 px JPEG is read by libjpeg at 2000 px (server/domain/jpeg-shrink.ts) through an
    // unnamed file in RAM; the derivative must not differ from one made from every pixel.
    for (const o of [1, 6, 3, 8]) {
      const bytes = await orientedJpeg(o, 'landscape', 4000, 3000);
      const res = await uploadOne(`phone_${o}.jpg`, bytes);
      expect(res.status, `orientation ${o}: ${JSON.stringify(res.body)}`).toBe(201);
      expect([res.photos[0]!.width, res.photos[0]!.height], `orientation ${o}`).toEqual([1600, 1200]);
      const d = await derivativesOf(res.photos[0]!, `phone_${o}`);
      expect(await metadataProblems(d.display), `orientation ${o}`).toEqual([]);
      // The reference: every pixel decoded, the same resize. Mean difference per channel value
      // (0–255) over the whole 1600×1200 picture, not only a 32×32 summary of it.
      const full = await sharp(bytes).rotate().resize(1600, 1600, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
      const ours = await sharp(d.display).raw().toBuffer({ resolveWithObject: true });
      expect([ours.info.width, ours.info.height]).toEqual([full.info.width, full.info.height]);
      let sum = 0;
      for (let i = 0; i < full.data.length; i++) sum += Math.abs(full.data[i]! - ours.data[i]!);
      expect(sum / full.data.length, `orientation ${o}: mean difference from a full decode`).toBeLessThan(2.5);
      // And a turned copy of the reference is far from it, so the comparison can tell.
      if (o === 1) {
        // Where there is no RAM folder (not Linux) the bytes are decoded in full: the same derivative.
        const fallback = await renderDerivatives(bytes, 'jpeg', { source: { width: 4000, height: 3000 }, maxPixels: 50_000_000, displayEdge: 1600, thumbEdge: 320, quality: 80 });
        expect([fallback.display.width, fallback.display.height, fallback.thumb.width]).toEqual([1600, 1200, 320]);
        expect(await pictureDistance(fallback.display.bytes, d.display)).toBeLessThan(SAME_PICTURE);
        const turned = await sharp(d.display).rotate(180).raw().toBuffer();
        let far = 0;
        for (let i = 0; i < full.data.length; i++) far += Math.abs(full.data[i]! - turned[i]!);
        expect(far / full.data.length).toBeGreaterThan(DIFFERENT_PICTURE);
      }
    }
    // The copy in RAM had no name, and is emptied with the photo: nothing is left of it, and
    // with the file kept for the next upload closed, nothing is open.
    expect(scratchFiles()).toEqual([]);
    expect(scratchFilesWithData()).toEqual([]);
    closeKeptRamFiles();
    expect(openScratchFiles()).toEqual([]);
  });

  it.runIf(existsSync('/dev/shm') && existsSync('/proc/self/fd'))('on Linux the pipeline reads a JPEG through a file in RAM that holds exactly its chunks and has no name', async () => {
    // No file kept from the uploads before: the only one open is this copy.
    closeKeptRamFiles();
    const seen = await withUnnamedCopy([Buffer.from('\xff\xd8\xff', 'latin1'), Buffer.from('two'), Buffer.from('three')], async (file) => {
      expect(file).toMatch(/^\/proc\/self\/fd\/\d+$/);
      expect(scratchFiles(), 'no name in /dev/shm while it is open').toEqual([]);
      expect(openScratchFiles(), 'open, with no name').toEqual([expect.stringMatching(/^\/dev\/shm\/samtykke-\d+-[0-9a-f]+ \(deleted\)$/)]);
      return readFileSync(file!);
    });
    expect(seen.toString('latin1')).toBe('\xff\xd8\xfftwothree');
  });

  it.runIf(existsSync('/dev/shm') && existsSync('/proc/self/fd'))('on Linux a JPEG upload goes into a file in RAM with no name as it arrives, in large and one-byte pieces alike, and is emptied before the answer', async () => {
    // One upload first, so that the process has found out that such files work here; then no
    // kept file, so that the only one open is this upload's.
    expect((await uploadOne('first.jpg', await photographicJpeg(640, 480, 31))).status).toBe(201);
    closeKeptRamFiles();
    const bytes = await orientedJpeg(6, 'landscape', 4000, 3000);
    const token = await tokenFor(app, 'ansatt@demo.no');
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const boundary = 'ram-file-test-boundary';
      const req = http.request({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: `/api/photos?groupId=${groupId}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      const answer = new Promise<{ status: number; body: string; openAtAnswer: string[] }>((resolve, reject) => {
        req.on('response', (res) => {
          // The server is this process: what it holds in RAM as its answer arrives.
          const openAtAnswer = scratchFilesWithData();
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body, openAtAnswer }));
        });
        req.on('error', reject);
      });
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="ram.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
      const half = Math.floor(bytes.length / 2);
      req.write(bytes.subarray(0, half));
      // While the rest has not come, the first half is in RAM under no name, held open.
      const deadline = Date.now() + 5000;
      while (openScratchFiles().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(openScratchFiles()).toEqual([expect.stringMatching(/^\/dev\/shm\/samtykke-\d+-[0-9a-f]+ \(deleted\)$/)]);
      expect(scratchFiles()).toEqual([]);
      // And it already holds what has come (all but what waits in a 64 kB block).
      while (ramFileSizes()[0]! < half - 64 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(ramFileSizes()[0]).toBeGreaterThanOrEqual(half - 64 * 1024);
      // Then 300 single bytes, each flushed on its own, and the rest in one piece.
      for (let i = half; i < half + 300; i++) {
        req.write(bytes.subarray(i, i + 1));
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      req.write(bytes.subarray(half + 300));
      req.end(`\r\n--${boundary}--\r\n`);
      const res = await answer;
      expect(res.status, res.body).toBe(201);
      expect(res.openAtAnswer, 'emptied before the answer was sent').toEqual([]);
      const photo = (JSON.parse(res.body) as { photos: UploadedPhoto[] }).photos[0]!;
      expect([photo.width, photo.height]).toEqual([1600, 1200]);
      // The same picture as the same bytes sent in one piece, and nothing of either left behind.
      const whole = await uploadOne('whole.jpg', bytes);
      expect(whole.status).toBe(201);
      const [a, b] = [await derivativesOf(photo, 'ram'), await derivativesOf(whole.photos[0]!, 'whole')];
      expect(await pictureDistance(a.display, b.display)).toBeLessThan(1);
      expect(scratchFilesWithData()).toEqual([]);
      expect(scratchFiles()).toEqual([]);
      closeKeptRamFiles();
      expect(openScratchFiles()).toEqual([]);
    } finally {
      server.close();
    }
  });

  it.runIf(existsSync('/dev/shm') && existsSync('/proc/self/fd'))('a client that goes away half-way through a JPEG leaves nothing of it in RAM, nothing stored, and its reserved memory given back', async () => {
    expect((await uploadOne('first.jpg', await photographicJpeg(640, 480, 32))).status).toBe(201);
    closeKeptRamFiles();
    const bytes = await photographicJpeg(4000, 3000, 33, 90);
    const token = await tokenFor(app, 'ansatt@demo.no');
    const photosBefore = (await t.ctx.db.selectFrom('photos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const budgetBefore = t.ctx.uploadBudget.inUse;
    const blobsBefore = blobFiles(t.dataDir).length;
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const boundary = 'gone-away-boundary';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="gone.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
      const tail = `\r\n--${boundary}--\r\n`;
      const req = http.request({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: `/api/photos?groupId=${groupId}`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(Buffer.byteLength(head) + bytes.length + Buffer.byteLength(tail)),
        },
      });
      req.on('error', () => undefined);
      req.write(head);
      req.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      // The upload is under way: its RAM file is open, and the whole body is reserved.
      const deadline = Date.now() + 5000;
      while (openScratchFiles().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(openScratchFiles()).toHaveLength(1);
      expect(t.ctx.uploadBudget.inUse - budgetBefore).toBeGreaterThanOrEqual(bytes.length);
      // The phone loses its connection.
      req.destroy();
      const released = Date.now() + 5000;
      while ((scratchFilesWithData().length > 0 || t.ctx.uploadBudget.inUse > budgetBefore) && Date.now() < released) await new Promise((r) => setTimeout(r, 20));
      expect(scratchFilesWithData(), 'the RAM file is emptied').toEqual([]);
      expect(openScratchFiles().length, 'and kept for the next upload, or closed').toBeLessThanOrEqual(1);
      closeKeptRamFiles();
      expect(openScratchFiles()).toEqual([]);
      expect(t.ctx.uploadBudget.inUse, 'the reserved memory is given back').toBe(budgetBefore);
      expect(scratchFiles()).toEqual([]);
      const photosAfter = (await t.ctx.db.selectFrom('photos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      expect(Number(photosAfter)).toBe(Number(photosBefore));
      expect(blobFiles(t.dataDir)).toHaveLength(blobsBefore);
      // And the next upload goes through as usual.
      expect((await uploadOne('after.jpg', await photographicJpeg(640, 480, 34))).status).toBe(201);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a 12-megapixel JPEG cut off halfway is refused as damaged on the half-size path too', async () => {
    const res = await uploadOne('cut.jpg', await truncatedJpeg(4000, 3000));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.errors).toEqual([expect.objectContaining({ file: 'cut.jpg', code: 'CORRUPT_IMAGE' })]);
  });

  it.skipIf(!HAS_EXIFTOOL && !process.env.CI)('exiftool finds nothing but structural tags in any derivative', async () => {
    expect(HAS_EXIFTOOL, 'exiftool must be installed on CI (libimage-exiftool-perl)').toBe(true);
    for (const f of await plantedFixtures()) {
      const res = await uploadOne(f.name, f.bytes);
      expect(res.status, `${f.name}: ${JSON.stringify(res.body)}`).toBe(201);
      await derivativesOf(res.photos[0]!, f.name);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'samtykke-exiftool-'));
    try {
      const files = derivatives.map((d, i) => {
        const file = path.join(dir, `${String(i).padStart(3, '0')}.jpg`);
        writeFileSync(file, d.bytes);
        return file;
      });
      const run = spawnSync('exiftool', ['-j', '-a', '-G1', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(run.status, run.stderr).toBe(0);
      const reports = JSON.parse(run.stdout) as Record<string, unknown>[];
      expect(reports).toHaveLength(files.length);
      const structural = (tag: string) =>
        tag === 'SourceFile' || tag.startsWith('System:') || tag.startsWith('File:') || tag === 'ExifTool:ExifToolVersion' || tag === 'Composite:ImageSize' || tag === 'Composite:Megapixels';
      const found = reports.flatMap((r, i) =>
        Object.keys(r)
          .filter((tag) => !structural(tag))
          .map((tag) => `${derivatives[i]!.label}: ${tag} = ${JSON.stringify(r[tag])}`),
      );
      expect(found).toEqual([]);
      expect(files.length).toBeGreaterThanOrEqual(2 * (16 + 6));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the image endpoint serves a JPEG with nosniff, no caching and a generated file name', async () => {
    const res = await uploadOne('Ola Nordmann på tur.jpg', await photographicJpeg(640, 480, 41));
    const photo = res.photos[0]!;
    for (const size of ['display', 'thumb']) {
      const img = await staff.get(`/api/photos/${photo.id}/image?size=${size}`);
      expect(img.status).toBe(200);
      expect(img.headers['content-type']).toBe('image/jpeg');
      expect(img.headers['x-content-type-options']).toBe('nosniff');
      expect(img.headers['cache-control']).toBe('private, no-store');
      const disposition = img.headers['content-disposition'] as string;
      expect(disposition).toMatch(/^inline; filename="samtykke-[a-f0-9]{8}(-liten)?\.jpg"$/);
      expect(disposition).not.toMatch(/Ola|Nordmann|tur/);
    }
    expect((await staff.get(`/api/photos/${photo.id}/image?size=original`)).status).toBe(400);
  });

  it('a guardian can neither upload nor see photos; staff cannot upload into another unit, and that refusal is audited', async () => {
    const jpeg = await photographicJpeg(320, 240, 43);
    const guardian = as(app, await tokenFor(app, 'forelder@demo.no'));
    const byGuardian = await upload(guardian, groupId, [{ name: 'a.jpg', bytes: jpeg }]);
    expect(byGuardian.status).toBe(403);
    expect((byGuardian.body as { error: { code: string } }).error.code).toBe('FORBIDDEN');

    const before = await findAuditEvents(t.ctx.db, { action: 'access.refused', limit: 1 });
    const blobsBefore = blobFiles(t.dataDir).length;
    const intoOtherUnit = await upload(staff, otherUnitGroupId, [{ name: 'a.jpg', bytes: jpeg }]);
    expect(intoOtherUnit.status).toBe(404);
    expect((intoOtherUnit.body as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const refused = await findAuditEvents(t.ctx.db, { action: 'access.refused', limit: 1 });
    expect(refused[0]!.seq).toBeGreaterThan(before[0]?.seq ?? 0);
    expect([refused[0]!.object_type, refused[0]!.object_id]).toEqual(['group', otherUnitGroupId]);
    expect(blobFiles(t.dataDir)).toHaveLength(blobsBefore);

    const unknownGroup = await upload(staff, 'no-such-group', [{ name: 'a.jpg', bytes: jpeg }]);
    expect(unknownGroup.status).toBe(404);

    const photo = (await upload(staff, groupId, [{ name: 'a.jpg', bytes: jpeg }])).photos[0]!;
    expect((await guardian.get(`/api/photos/${photo.id}`)).status).toBe(404);
    expect((await guardian.get(photo.urls.display)).status).toBe(404);
    expect((await guardian.get(`/api/photos?groupId=${groupId}`)).status).toBe(403);
    expect((await guardian.delete(`/api/photos/${photo.id}`)).status).toBe(404);
  });

  it("another unit's staff get 404 for a photo, its image, and its deletion, each audited", async () => {
    const photo = (await upload(staff, groupId, [{ name: 'a.jpg', bytes: await photographicJpeg(320, 240, 47) }])).photos[0]!;
    const admin = as(app, await tokenFor(app, 'admin@demo.no'));
    const fjellet = (await admin.get('/api/units')).body.units.find((u: { name: string }) => u.name === 'Fjellet skole');
    const email = `laerer.${engine}@example.no`;
    const created = await admin.post('/api/accounts').send({ email, role: 'staff', unitId: fjellet.id, password: 'laererpassord1' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const otherStaff = as(app, await tokenFor(app, email, 'laererpassord1'));

    for (const [method, url] of [
      ['get', `/api/photos/${photo.id}`],
      ['get', photo.urls.display],
      ['get', photo.urls.thumb],
      ['delete', `/api/photos/${photo.id}`],
    ] as const) {
      const before = await findAuditEvents(t.ctx.db, { action: 'access.refused', limit: 1 });
      const res = await otherStaff[method](url);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      const after = await findAuditEvents(t.ctx.db, { action: 'access.refused', limit: 1 });
      expect(after[0]!.seq, `${method} ${url} is audited`).toBeGreaterThan(before[0]?.seq ?? 0);
    }
    const list = await otherStaff.get('/api/photos');
    expect(list.status).toBe(200);
    expect(list.body.photos.map((p: { id: string }) => p.id)).not.toContain(photo.id);
    expect((await staff.get(`/api/photos/${photo.id}`)).status).toBe(200);
  });

  it('DELETE removes the row and both blob files, and uploads, refusals and deletions are audited with ids and codes only', async () => {
    const names = ['Emma Nordmann bursdag.jpg', 'Jakob Nordmann.pdf.jpg'];
    const res = await upload(staff, groupId, [
      { name: names[0]!, bytes: await photographicJpeg(640, 480, 53) },
      { name: names[1]!, bytes: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF\n') },
    ]);
    expect(res.status).toBe(201);
    expect(res.photos).toHaveLength(1);
    expect(res.errors).toEqual([expect.objectContaining({ file: names[1], code: 'UNSUPPORTED_FORMAT', status: 415 })]);
    const photo = res.photos[0]!;

    const row = await t.ctx.db.selectFrom('photos').select(['display_blob', 'thumb_blob']).where('id', '=', photo.id).executeTakeFirstOrThrow();
    const blobPath = (id: string) => path.join(id.slice(0, 2), id);
    expect(blobFiles(t.dataDir)).toEqual(expect.arrayContaining([blobPath(row.display_blob), blobPath(row.thumb_blob)]));

    const deleted = await staff.delete(`/api/photos/${photo.id}`);
    expect(deleted.status).toBe(204);
    expect((await staff.get(`/api/photos/${photo.id}`)).status).toBe(404);
    expect((await staff.get(photo.urls.display)).status).toBe(404);
    expect(await t.ctx.db.selectFrom('photos').select('id').where('id', '=', photo.id).executeTakeFirst()).toBeUndefined();
    expect(blobFiles(t.dataDir)).not.toContain(blobPath(row.display_blob));
    expect(blobFiles(t.dataDir)).not.toContain(blobPath(row.thumb_blob));
    expect((await staff.delete(`/api/photos/${photo.id}`)).status).toBe(404);

    const events = async (action: string) => (await findAuditEvents(t.ctx.db, { action, limit: 1000 })).map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }));
    const uploaded = (await events('photo.uploaded')).find((e) => e.object_id === photo.id);
    expect(uploaded?.payload).toEqual({ groupId, format: 'jpeg' });
    const refused = (await events('photo.refused'))[0]!;
    expect([refused.object_type, refused.object_id]).toEqual(['group', groupId]);
    expect(refused.payload).toEqual({ index: 1, code: 'UNSUPPORTED_FORMAT', detected: 'pdf' });
    const del = (await events('photo.deleted')).find((e) => e.object_id === photo.id);
    expect(del?.payload).toEqual({ groupId });

    // No file name, uploaded or generated, is in the audit log.
    const everything = JSON.stringify(await findAuditEvents(t.ctx.db, { limit: 100_000 }));
    for (const s of ['Nordmann', 'bursdag', '.jpg', 'Ola', 'samtykke-']) expect(everything).not.toContain(s);
  });
});
