import fc from 'fast-check';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectJpeg } from '../../server/domain/jpeg-structure.js';
import { insertJpegSegments, photographicJpeg, plantedJpeg } from '../support/images.js';

const RUNS = Math.max(1, Number(process.env.IMAGE_PROPERTY_RUNS ?? 1000));

const segment = (marker: number, payload: Uint8Array | number[]) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 255]), Buffer.from(payload)]);

describe('inspectJpeg', () => {
  let clean: Buffer;
  let progressive: Buffer;
  beforeAll(async () => {
    clean = await photographicJpeg(96, 64, 2);
    progressive = await sharp(clean).jpeg({ progressive: true }).toBuffer();
  });

  it('a JPEG as sharp writes it has only the segments needed to decode it, and ends at its end marker', () => {
    const r = inspectJpeg(clean);
    expect(r.valid).toBe(true);
    expect(r.metadataSegments).toEqual([]);
    expect(r.trailingBytes).toBe(0);
    expect(r.markers).toContain('SOF0');
    expect(r.markers).toContain('DQT');
    expect(r.markers).toContain('DHT');
    expect(r.markers.at(-2)).toBe('SOS');
    expect(r.markers.at(-1)).toBe('EOI');
  });

  it('walks every scan of a progressive JPEG', () => {
    const r = inspectJpeg(progressive);
    expect(r.valid).toBe(true);
    expect(r.markers).toContain('SOF2');
    expect(r.markers.filter((m) => m === 'SOS').length).toBeGreaterThan(1);
    expect(r.metadataSegments).toEqual([]);
    expect(r.trailingBytes).toBe(0);
  });

  it('reports a camera JPEG’s EXIF, XMP, ICC, IPTC and comment segments and the bytes after its end', async () => {
    const r = inspectJpeg(await plantedJpeg());
    expect(r.valid).toBe(true);
    expect(r.metadataSegments).toEqual(['APP1', 'APP1', 'APP2', 'APP13', 'COM']);
    expect(r.trailingBytes).toBeGreaterThan(1000);
  });

  it('steps over restart markers, stuffed bytes and fill bytes', () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xdb, new Array(65).fill(1)),
      Buffer.from([0xff, 0xff]), // fill byte before a marker
      segment(0xdd, [0, 4]),
      segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
      segment(0xda, [1, 1, 0, 0, 63, 0]),
      Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd7, 0x78, 0xff, 0x00]),
      Buffer.from([0xff, 0xd9]),
    ]);
    expect(inspectJpeg(jpeg)).toEqual({ valid: true, markers: ['DQT', 'DRI', 'SOF0', 'SOS', 'EOI'], metadataSegments: [], trailingBytes: 0 });
  });

  it('a file that does not start with SOI, is cut off, or has a broken segment is not valid', () => {
    expect(inspectJpeg(new Uint8Array()).valid).toBe(false);
    expect(inspectJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xd9])).valid).toBe(false);
    expect(inspectJpeg(Buffer.concat([Buffer.from([0x00]), clean])).valid).toBe(false);
    expect(inspectJpeg(clean.subarray(0, clean.length - 1)).valid).toBe(false);
    expect(inspectJpeg(clean.subarray(0, Math.floor(clean.length / 2))).valid).toBe(false);
    expect(inspectJpeg(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01]), clean.subarray(2)])).valid).toBe(false);
    expect(inspectJpeg(Buffer.concat([Buffer.from([0xff, 0xd8, 0x00, 0x00]), clean.subarray(2)])).valid).toBe(false);
  });

  it('never throws on random bytes, with or without a start-of-image marker, and what it reports is consistent', () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }).map((b) => new Uint8Array([0xff, 0xd8, ...b])),
      // Random segments behind SOI: markers, lengths and 0xFF bytes where the walker looks for them.
      fc
        .array(fc.tuple(fc.integer({ min: 0xc0, max: 0xff }), fc.uint8Array({ maxLength: 40 }), fc.boolean()), { maxLength: 8 })
        .map((parts) => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xd8]), ...parts.map(([m, p, raw]) => (raw ? Buffer.from([0xff, m, ...p]) : segment(m, p)))]))),
    );
    fc.assert(
      fc.property(input, (b) => {
        const r = inspectJpeg(b);
        expect(r.trailingBytes).toBeGreaterThanOrEqual(0);
        expect(r.trailingBytes).toBeLessThanOrEqual(b.length);
        for (const m of r.metadataSegments) expect(r.markers).toContain(m);
        if (r.valid) {
          expect(r.markers.at(-1)).toBe('EOI');
          expect(r.markers).toContain('SOS');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('counts exactly the bytes appended after a JPEG’s end, whatever they are', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 500 }), (junk) => {
        const r = inspectJpeg(Buffer.concat([clean, junk]));
        expect(r.valid).toBe(true);
        expect(r.trailingBytes).toBe(junk.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('reports any APPn or COM segment put in front of the image, whatever it holds', () => {
    const marker = fc.oneof(fc.integer({ min: 0xe0, max: 0xef }), fc.constant(0xfe));
    fc.assert(
      fc.property(fc.array(fc.tuple(marker, fc.uint8Array({ maxLength: 300 })), { minLength: 1, maxLength: 4 }), fc.boolean(), (segments, progressiveImage) => {
        const jpeg = insertJpegSegments(progressiveImage ? progressive : clean, segments.map(([m, payload]) => segment(m, payload)));
        const r = inspectJpeg(jpeg);
        expect(r.valid).toBe(true);
        expect(r.metadataSegments).toEqual(segments.map(([m]) => (m === 0xfe ? 'COM' : `APP${m - 0xe0}`)));
        expect(r.trailingBytes).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('a JPEG cut off anywhere before its end is never valid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: progressive.length - 1 }), fc.boolean(), (cut, useProgressive) => {
        const jpeg = useProgressive ? progressive : clean;
        expect(inspectJpeg(jpeg.subarray(0, Math.min(cut, jpeg.length - 1))).valid).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
