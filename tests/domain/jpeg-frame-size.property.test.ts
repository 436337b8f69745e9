import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegFrameSize } from '../../server/domain/jpeg-structure.js';
import { orientedJpeg, photographicJpeg, plantedJpeg } from '../support/images.js';
import { sharedFixtures } from '../support/photos.js';

const RUNS = Math.max(1, Number(process.env.IMAGE_PROPERTY_RUNS ?? 1000));
const cameraJpegs = [...(sharedFixtures('metadata') ?? []), ...(sharedFixtures('orientation') ?? [])].filter((f) => /\.jpe?g$/i.test(f.name));

const segment = (marker: number, payload: Uint8Array) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 255]), Buffer.from(payload)]);
const frame = (marker: number, width: number, height: number) => segment(marker, Uint8Array.from([8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]));

/** Every marker that starts a frame header, and the C4/C8/CC markers in their range that do not. */
const SOF_MARKERS = [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf];
/** Segments a camera or an editor may put before the frame header: APPn, COM, DQT, DHT, DRI. */
const leadingSegment = fc.record({
  marker: fc.constantFrom(...Array.from({ length: 16 }, (_, k) => 0xe0 + k), 0xfe, 0xdb, 0xc4, 0xdd),
  payload: fc.uint8Array({ maxLength: 3000 }),
  fill: fc.integer({ min: 0, max: 3 }),
});

/** A JPEG's head as it is laid out: SOI, some segments (with fill bytes before some), the frame header, then anything. */
const jpegHead = fc.record({
  before: fc.array(leadingSegment, { maxLength: 8 }),
  sof: fc.constantFrom(...SOF_MARKERS),
  width: fc.integer({ min: 1, max: 65535 }),
  height: fc.integer({ min: 1, max: 65535 }),
  after: fc.uint8Array({ maxLength: 200 }),
});
const build = (h: { before: { marker: number; payload: Uint8Array; fill: number }[]; sof: number; width: number; height: number; after: Uint8Array }) => {
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  for (const s of h.before) parts.push(Buffer.alloc(s.fill, 0xff), segment(s.marker, s.payload));
  const sof = frame(h.sof, h.width, h.height);
  parts.push(sof, Buffer.from(h.after));
  const bytes = Buffer.concat(parts);
  // Where the frame header's width ends: anything cut before that cannot tell the size.
  const sizeEnds = bytes.length - h.after.length - sof.length + 9;
  return { bytes, sizeEnds };
};

describe('jpegFrameSize', () => {
  it('reads the size from the frame header, past any segments and fill bytes before it', () => {
    fc.assert(
      fc.property(jpegHead, (h) => {
        expect(jpegFrameSize(build(h).bytes)).toEqual({ width: h.width, height: h.height });
      }),
      { numRuns: RUNS },
    );
  });

  it('answers null, never a wrong size, when the bytes end before the frame header’s size does', () => {
    fc.assert(
      fc.property(jpegHead, fc.double({ min: 0, max: 1, noNaN: true }), (h, at) => {
        const { bytes, sizeEnds } = build(h);
        const cut = Math.floor(at * sizeEnds);
        expect(jpegFrameSize(bytes.subarray(0, Math.min(cut, sizeEnds - 1)))).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it('answers null or a positive size for any bytes at all, and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (tail, withSoi) => {
        const bytes = withSoi ? Buffer.concat([Buffer.from([0xff, 0xd8]), tail]) : Buffer.from(tail);
        const size = jpegFrameSize(bytes);
        if (size !== null) {
          expect(size.width).toBeGreaterThan(0);
          expect(size.height).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves to the decoder a frame whose height a DNL marker gives later, and image data before any frame header', () => {
    const soi = Buffer.from([0xff, 0xd8]);
    expect(jpegFrameSize(Buffer.concat([soi, frame(0xc0, 640, 0)]))).toBeNull();
    expect(jpegFrameSize(Buffer.concat([soi, segment(0xda, new Uint8Array(10)), frame(0xc0, 640, 480)]))).toBeNull();
    expect(jpegFrameSize(Buffer.concat([soi, Buffer.from([0xff, 0xd9]), frame(0xc0, 640, 480)]))).toBeNull();
    // Not a JPEG, or a segment length that cannot be.
    expect(jpegFrameSize(Buffer.concat([Buffer.from('GIF89a'), frame(0xc0, 640, 480)]))).toBeNull();
    expect(jpegFrameSize(Buffer.concat([soi, Buffer.from([0xff, 0xe1, 0, 1]), frame(0xc0, 640, 480)]))).toBeNull();
  });

  it('never answers a size other than the one libjpeg decodes at: stray bytes, FF00, RSTn and TEM markers, and made-up frame headers put before or after the real one', async () => {
    const real = await photographicJpeg(96, 64, 3);
    const truth = await sharp(real).metadata();
    const fake = (w: number, h: number) => frame(0xc0, w, h);
    // Things a hostile file can put between the start-of-image marker and the real segments.
    const junk = fc.oneof(
      fc.record({ kind: fc.constant('segment' as const), marker: fc.constantFrom(0xe0, 0xe1, 0xed, 0xef, 0xfe), payload: fc.uint8Array({ maxLength: 300 }) }),
      fc.record({ kind: fc.constant('standalone' as const), marker: fc.constantFrom(0xd0, 0xd3, 0xd7, 0x01, 0x00) }),
      fc.record({ kind: fc.constant('stray' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('fake' as const), width: fc.integer({ min: 1, max: 20000 }), height: fc.integer({ min: 1, max: 20000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { maxLength: 5 }), fc.option(fc.tuple(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 1, max: 20000 })), { nil: undefined }), async (items, trailing) => {
        const parts: Buffer[] = [real.subarray(0, 2)];
        for (const it of items) {
          if (it.kind === 'segment') parts.push(segment(it.marker, it.payload));
          else if (it.kind === 'standalone') parts.push(Buffer.from([0xff, it.marker]));
          else if (it.kind === 'stray') parts.push(Buffer.from(it.bytes));
          else parts.push(fake(it.width, it.height));
        }
        parts.push(real.subarray(2));
        if (trailing) parts.push(fake(trailing[0], trailing[1]));
        const bytes = Buffer.concat(parts);
        const size = jpegFrameSize(bytes);
        if (size === null) return;
        // libjpeg reads the same size, or refuses the file (a second frame header, say) and so
        // never decodes it at any size.
        const m = await sharp(bytes).metadata().catch(() => null);
        if (m) expect(size).toEqual({ width: m.width, height: m.height });
        else await expect(sharp(bytes).toBuffer()).rejects.toThrow();
      }),
      { numRuns: Math.min(RUNS, 300) },
    );
    // The plain file, for the record: the size libvips reads.
    expect(jpegFrameSize(real)).toEqual({ width: truth.width, height: truth.height });
    // A restart marker first makes a length-counting reader take the real frame header's first
    // bytes as a length and land on a made-up one after the end of the image.
    const real3000 = await photographicJpeg(300, 200, 4);
    const lure = Buffer.concat([real3000.subarray(0, 2), Buffer.from([0xff, 0xd0]), real3000.subarray(2)]);
    const landsAt = 4 + ((lure[4]! << 8) | lure[5]!);
    expect(landsAt).toBeGreaterThan(lure.length);
    const padded = Buffer.concat([lure, Buffer.alloc(landsAt - lure.length), fake(12800, 78)]);
    expect((await sharp(padded).metadata()).width, 'libjpeg reads the real size').toBe(300);
    expect(jpegFrameSize(padded)).toBeNull();
  });

  it('agrees with libvips on generated photos, progressive and baseline, with and without camera metadata', async () => {
    const photos = [
      await photographicJpeg(640, 480, 1),
      await sharp(await photographicJpeg(333, 517, 2)).jpeg({ progressive: true }).toBuffer(),
      await plantedJpeg(),
      ...(await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((o) => orientedJpeg(o, 'portrait')))),
    ];
    for (const jpeg of photos) {
      const m = await sharp(jpeg).metadata();
      expect(jpegFrameSize(jpeg)).toEqual({ width: m.width, height: m.height });
    }
  });

  it.runIf(cameraJpegs.length > 0)('agrees with libvips on every camera JPEG of the shared fixtures', async () => {
    let read = 0;
    for (const { name, bytes } of cameraJpegs) {
      const m = await sharp(bytes).metadata().catch(() => null);
      const size = jpegFrameSize(bytes);
      // A file libvips cannot read is the pipeline's to refuse; where both read a size, it is the same.
      if (!m || size === null) continue;
      expect(size, name).toEqual({ width: m.width, height: m.height });
      read++;
    }
    expect(read).toBeGreaterThan(5);
  });
});
