import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { EXIF_SEARCH_BYTES, jpegExifSegment } from '../../server/domain/jpeg-structure.js';
import { photographicJpeg, PLANTED_EXIF } from '../support/images.js';

const RUNS = Math.max(1, Number(process.env.IMAGE_PROPERTY_RUNS ?? 1000));
const segment = (marker: number, payload: Uint8Array) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 255]), Buffer.from(payload)]);
const EXIF = Buffer.from('Exif\0\0', 'latin1');

/** Cuts bytes into chunks at the given points, as a socket might deliver them. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return out;
}

// Metadata segments a camera or editor may put before the image data: APPn other than an Exif
// APP1 (including an APP1 that is XMP), and comments.
const otherSegment = fc.oneof(
  fc.tuple(fc.integer({ min: 0xe0, max: 0xef }).filter((m) => m !== 0xe1), fc.uint8Array({ maxLength: 300 })).map(([m, p]) => segment(m, p)),
  fc.uint8Array({ maxLength: 300 }).map((p) => segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), p]))),
  fc.uint8Array({ maxLength: 300 }).map((p) => segment(0xfe, p)),
);
const imageData = fc.uint8Array({ minLength: 1, maxLength: 400 }).map((d) => Buffer.concat([segment(0xda, new Uint8Array([1, 1, 0, 0, 0x3f, 0])), Buffer.from(d), Buffer.from([0xff, 0xd9])]));

describe('jpegExifSegment', () => {
  it('finds the Exif segment behind any other segments, however the file is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(otherSegment, { maxLength: 6 }), fc.uint8Array({ maxLength: 500 }), fc.array(otherSegment, { maxLength: 3 }), imageData, fc.array(fc.nat(), { maxLength: 12 }), (before, exifBody, after, data, cuts) => {
        const exif = segment(0xe1, Buffer.concat([EXIF, exifBody]));
        const file = Buffer.concat([Buffer.from([0xff, 0xd8]), ...before, exif, ...after, data]);
        const found = jpegExifSegment(chunked(file, cuts));
        expect(found && Buffer.from(found)).toEqual(Buffer.concat([Buffer.from([0xff, 0xd8]), exif, Buffer.from([0xff, 0xd9])]));
      }),
      { numRuns: RUNS },
    );
  });

  it('finds nothing when there is no Exif segment before the image data, or the file is not a JPEG', () => {
    fc.assert(
      fc.property(fc.array(otherSegment, { maxLength: 6 }), imageData, fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 8 }), (before, data, exifBody, cuts) => {
        // An Exif segment after the image data does not count: readers never look there.
        const file = Buffer.concat([Buffer.from([0xff, 0xd8]), ...before, data, segment(0xe1, Buffer.concat([EXIF, exifBody]))]);
        expect(jpegExifSegment(chunked(file, cuts))).toBeNull();
        expect(jpegExifSegment(chunked(Buffer.concat([Buffer.from([0x89, 0x50]), file.subarray(2)]), cuts))).toBeNull();
      }),
      { numRuns: RUNS },
    );
    expect(jpegExifSegment([])).toBeNull();
    expect(jpegExifSegment([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00])])).toBeNull();
  });

  it('looks no further than EXIF_SEARCH_BYTES into the file: fill bytes or segments up to there find nothing', () => {
    const exif = segment(0xe1, Buffer.concat([EXIF, Buffer.alloc(100)]));
    // A file of fill bytes (25 MB, in socket-sized chunks) has no Exif, and is read only up to the limit.
    const fill = Buffer.alloc(25 * 1024 * 1024, 0xff);
    fill.set([0xff, 0xd8]);
    expect(jpegExifSegment(chunked(fill, Array.from({ length: 400 }, (_, k) => k * 65_536)))).toBeNull();
    // Exif behind a megabyte of comments is past the limit; just before it, it is found.
    const comments = (bytes: number) => Array.from({ length: Math.ceil(bytes / 60_000) }, (_, k) => segment(0xfe, new Uint8Array(Math.min(60_000, bytes - k * 60_000))));
    const late = Buffer.concat([Buffer.from([0xff, 0xd8]), ...comments(EXIF_SEARCH_BYTES), exif]);
    expect(jpegExifSegment([late])).toBeNull();
    const early = Buffer.concat([Buffer.from([0xff, 0xd8]), ...comments(EXIF_SEARCH_BYTES - 2_000), exif]);
    expect(jpegExifSegment(chunked(early, [5, 70_000, 900_000]))).not.toBeNull();
  });

  it("finds the Exif sharp writes, and exifr reads the capture time from the small JPEG it gives", async () => {
    const exifr = (await import('exifr')).default;
    const jpeg = await sharp(await photographicJpeg(64, 48, 3)).withExif(PLANTED_EXIF).jpeg().toBuffer();
    const found = jpegExifSegment(chunked(jpeg, [1, 7, 100, 1000]));
    expect(found).not.toBeNull();
    expect(found!.length).toBeLessThan(jpeg.length);
    const tags = await exifr.parse(Buffer.from(found!), { pick: ['DateTimeOriginal'], reviveValues: false });
    expect(tags?.DateTimeOriginal).toBe(PLANTED_EXIF.IFD2.DateTimeOriginal);
  });
});
