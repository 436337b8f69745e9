import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { closeKeptRamFiles } from '../../server/adapters/image.js';
import { openRamFiles, ramFilesHoldingData } from '../../scripts/lib/ram-files.js';
import { as, tokenFor } from '../support/http.js';
import { PDF_DOCUMENT, photographicJpeg } from '../support/images.js';
import { blobFiles, photoRowCount, upload, type Agent } from '../support/photos.js';

// Decompression bombs, hostile bodies (1 GB, thousands of parts, a trickle) and the server's
// memory under them: tests/security/hostile-uploads.test.ts.

describe.each(testEngines())('upload limits [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let staff: Agent;
  let groupId: string;
  let photos: Buffer[];

  beforeAll(async () => {
    // Small limits, so that a test can pass them without big files.
    t = await createTestContext(engine, { env: { UPLOAD_MAX_FILES: '4', UPLOAD_MAX_BYTES: String(300 * 1024) } });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    const dir = await demoDirectory(app);
    groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Prestekragen')!.id;
    staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
    photos = await Promise.all([61, 62, 63].map((seed) => photographicJpeg(480, 360, seed)));
  });
  afterAll(() => t?.close());

  it('a refused file does not stop the others: three photos and a PDF named .jpg give 201 with three photos and one error', async () => {
    const res = await upload(staff, groupId, [
      { name: 'a.jpg', bytes: photos[0]! },
      { name: 'x.jpg', bytes: PDF_DOCUMENT },
      { name: 'b.jpg', bytes: photos[1]! },
      { name: 'c.jpg', bytes: photos[2]! },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.photos).toHaveLength(3);
    expect(res.errors).toEqual([{ file: 'x.jpg', code: 'UNSUPPORTED_FORMAT', status: 415, message: expect.stringMatching(/JPEG, PNG, WebP/) }]);
    for (const p of res.photos) expect(p).toMatchObject({ id: expect.any(String), width: 480, height: 360, thumbWidth: 320, thumbHeight: 240, capturedAt: null });
  });

  it('more files than UPLOAD_MAX_FILES are refused with 413 TOO_MANY_FILES and nothing is stored', async () => {
    const blobs = blobFiles(t.dataDir).length;
    const rows = await photoRowCount(t.ctx);
    const res = await upload(staff, groupId, [0, 1, 2, 0, 1].map((i, n) => ({ name: `${n}.jpg`, bytes: photos[i]! })));
    expect(res.status).toBe(413);
    expect((res.body as { error: { code: string } }).error.code).toBe('TOO_MANY_FILES');
    expect(blobFiles(t.dataDir)).toHaveLength(blobs);
    expect(await photoRowCount(t.ctx)).toBe(rows);
    expect(await ramFilesWithData()).toEqual([]);
  });

  it('a file above UPLOAD_MAX_BYTES is refused with 413 FILE_TOO_LARGE and nothing is stored', async () => {
    const big = await photographicJpeg(1400, 1000, 64, 95);
    expect(big.length).toBeGreaterThan(300 * 1024);
    const blobs = blobFiles(t.dataDir).length;
    const res = await upload(staff, groupId, [
      { name: 'small.jpg', bytes: photos[0]! },
      { name: 'big.jpg', bytes: big },
    ]);
    expect(res.status).toBe(413);
    expect((res.body as { error: { code: string } }).error.code).toBe('FILE_TOO_LARGE');
    expect(blobFiles(t.dataDir)).toHaveLength(blobs);
    // The JPEGs written into RAM as they came are emptied with the request, the cut-off one too.
    expect(await ramFilesWithData()).toEqual([]);
  });

  it('a body that is not multipart is refused with 415 NOT_MULTIPART; no file, or the wrong field, with 400', async () => {
    const json = await staff.post(`/api/photos?groupId=${groupId}`).send({ photos: ['a'] });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('NOT_MULTIPART');
    const raw = await staff.post(`/api/photos?groupId=${groupId}`).set('Content-Type', 'image/jpeg').send(photos[0]!);
    expect(raw.status).toBe(415);
    expect(raw.body.error.code).toBe('NOT_MULTIPART');
    const empty = await staff.post(`/api/photos?groupId=${groupId}`).field('note', 'x');
    expect(empty.status).toBe(400);
    const wrongField = await staff.post(`/api/photos?groupId=${groupId}`).attach('file', photos[0]!, 'a.jpg');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.code).toBe('UNEXPECTED_FIELD');
  });
});

/**
 * This process's unnamed upload files in RAM left over once the request is over (waits up to
 * 2 s for it to end): those still holding an upload's bytes, and then, with the files kept
 * (emptied) for the next upload closed, any still open.
 */
async function ramFilesWithData(): Promise<string[]> {
  const deadline = Date.now() + 2000;
  while (ramFilesHoldingData().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const holding = ramFilesHoldingData().map((f) => `${f.target} (holds data)`);
  closeKeptRamFiles();
  return [...holding, ...openRamFiles().map((f) => f.target)];
}
