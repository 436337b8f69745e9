import fc from 'fast-check';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { sniffImage } from '../../server/domain/image-format.js';

const RUNS = Math.max(1, Number(process.env.IMAGE_PROPERTY_RUNS ?? 2000));

const bytes = (...parts: (string | number[])[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

/** An ISO-BMFF `ftyp` box with a major brand and compatible brands, then some payload. */
function ftyp(major: string, compatible: string[], payload: number[] = [0, 0, 0, 8, 0x6d, 0x65, 0x74, 0x61]): Uint8Array {
  const size = 16 + compatible.length * 4;
  return bytes([size >>> 24, (size >>> 16) & 255, (size >>> 8) & 255, size & 255], 'ftyp', major, [0, 0, 0, 0], compatible.join(''), payload);
}

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The test's own statement of what may be accepted: a JPEG, PNG or WebP signature at the
 * start, or an ISO-BMFF file type box naming an AVIF or HEIF brand.
 */
function startsWithKnownSignature(b: Uint8Array): boolean {
  const s = Buffer.from(b);
  if (s.subarray(0, 3).equals(Buffer.from(JPEG))) return true;
  if (s.subarray(0, 8).equals(Buffer.from(PNG))) return true;
  if (s.toString('latin1', 0, 4) === 'RIFF' && s.toString('latin1', 8, 12) === 'WEBP') return true;
  if (s.length >= 16 && s.toString('latin1', 4, 8) === 'ftyp') {
    const brands = [];
    const end = Math.min(Math.max(s.readUInt32BE(0), 16), s.length, 256);
    brands.push(s.toString('latin1', 8, 12));
    for (let i = 16; i + 4 <= end; i += 4) brands.push(s.toString('latin1', i, i + 4));
    return brands.some((x) => ['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(x));
  }
  return false;
}

describe('sniffImage', () => {
  const real: Record<string, Uint8Array> = {};
  beforeAll(async () => {
    const img = sharp({ create: { width: 16, height: 12, channels: 3, background: '#3a7' } });
    real.jpeg = new Uint8Array(await img.clone().jpeg().toBuffer());
    real.png = new Uint8Array(await img.clone().png().toBuffer());
    real.webp = new Uint8Array(await img.clone().webp().toBuffer());
    real.avif = new Uint8Array(await img.clone().avif({ effort: 0 }).toBuffer());
  });

  it('recognises JPEG, PNG, WebP and AVIF made by an encoder from their first bytes', () => {
    for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) expect(sniffImage(real[format]!), format).toEqual({ accepted: true, format });
  });

  it('recognises HEIC as iPhones write it, and HEIF with only the generic brand', () => {
    expect(sniffImage(ftyp('heic', ['mif1', 'heic']))).toEqual({ accepted: true, format: 'heic' });
    expect(sniffImage(ftyp('mif1', ['heic', 'miaf']))).toEqual({ accepted: true, format: 'heic' });
    expect(sniffImage(ftyp('heix', []))).toEqual({ accepted: true, format: 'heic' });
    expect(sniffImage(ftyp('msf1', ['hevc']))).toEqual({ accepted: true, format: 'heic' });
  });

  it('takes AVIF for AVIF even when a HEIF brand comes first', () => {
    expect(sniffImage(ftyp('mif1', ['avif', 'miaf']))).toEqual({ accepted: true, format: 'avif' });
    expect(sniffImage(ftyp('avis', ['msf1']))).toEqual({ accepted: true, format: 'avif' });
  });

  it('refuses ISO-BMFF videos (MP4, QuickTime) as unsupported', () => {
    expect(sniffImage(ftyp('isom', ['iso2', 'mp41']))).toEqual({ accepted: false, code: 'UNSUPPORTED_FORMAT', detected: 'video' });
    expect(sniffImage(ftyp('qt  ', ['qt  ']))).toEqual({ accepted: false, code: 'UNSUPPORTED_FORMAT', detected: 'video' });
  });

  it('an empty file is EMPTY_FILE', () => {
    expect(sniffImage(new Uint8Array())).toEqual({ accepted: false, code: 'EMPTY_FILE', detected: 'empty' });
  });

  it('names what a refused file seems to be, for the message and the audit log', () => {
    const cases: [Uint8Array, string][] = [
      [bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0]), 'gif'],
      [bytes('GIF87a'), 'gif'],
      [bytes('%PDF-1.7\n'), 'pdf'],
      [bytes([0x50, 0x4b, 0x03, 0x04, 20, 0]), 'zip'],
      [bytes([0x50, 0x4b, 0x05, 0x06], new Array(18).fill(0)), 'zip'],
      [bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), 'executable'],
      [bytes('MZ', [0x90, 0]), 'executable'],
      [bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'tiff'],
      [bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'tiff'],
      [bytes('BM', [0x36, 0, 0, 0]), 'bmp'],
      [bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'svg'],
      [bytes('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg/>'), 'svg'],
      [bytes([0xef, 0xbb, 0xbf], '  \n<svg onload="alert(1)"/>'), 'svg'],
      [bytes('<!DOCTYPE html><html><body>hei</body></html>'), 'html'],
      [bytes('\n\n  <HTML><BODY>'), 'html'],
      [bytes('<script>fetch("/api/me")</script>'), 'html'],
      [bytes('<?xml version="1.0"?><x/>'), 'xml'],
      [bytes('hello'), 'unknown'],
      [bytes([0xff, 0xd8]), 'unknown'],
      [bytes('RIFF', [0, 0, 0, 0], 'WAVE'), 'unknown'],
    ];
    for (const [b, detected] of cases) expect(sniffImage(b), `${Buffer.from(b).toString('latin1').slice(0, 20)}`).toEqual({ accepted: false, code: 'UNSUPPORTED_FORMAT', detected });
  });

  it('a signature only part-way there is not accepted', () => {
    for (const sig of [JPEG, PNG]) for (let n = 1; n < sig.length; n++) expect(sniffImage(bytes(sig.slice(0, n))).accepted).toBe(false);
    expect(sniffImage(bytes('RIFF', [0, 0, 0, 0], 'WEB')).accepted).toBe(false);
    expect(sniffImage(bytes([0, 0, 0, 24], 'ftypheic')).accepted).toBe(false);
  });

  it('never throws, and never accepts bytes that do not start with a known signature', () => {
    // Random bytes, and random bytes behind a signature (or most of one), so that both paths are walked.
    const prefixes = [[], JPEG, JPEG.slice(0, 2), PNG, PNG.slice(0, 7), [...Buffer.from('RIFF')], [0, 0, 0, 24, ...Buffer.from('ftyp')], [0, 0, 0, 12, ...Buffer.from('ftypheic')]];
    const brands = fc.constantFrom('avif', 'heic', 'mif1', 'isom', 'mp42', 'qt  ', 'crx ', 'avis', 'msf1', '\0\0\0\0');
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.tuple(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 })).map(([p, rest]) => new Uint8Array([...p, ...rest])),
      fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), brands, fc.uint8Array({ maxLength: 4 }), fc.array(brands, { maxLength: 70 }), fc.uint8Array({ maxLength: 40 })).map(
        ([size, major, minor, compatible, rest]) => new Uint8Array(Buffer.concat([Buffer.from(size), Buffer.from('ftyp'), Buffer.from(major, 'latin1'), Buffer.from(minor), Buffer.from(compatible.join(''), 'latin1'), Buffer.from(rest)])),
      ),
      fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.constantFrom('WEBP', 'WAVE', 'AVI '), fc.uint8Array({ maxLength: 40 })).map(
        ([size, kind, rest]) => new Uint8Array(Buffer.concat([Buffer.from('RIFF'), Buffer.from(size), Buffer.from(kind), Buffer.from(rest)])),
      ),
    );
    fc.assert(
      fc.property(input, (b) => {
        const result = sniffImage(b);
        expect(result.accepted).toBe(startsWithKnownSignature(b));
        if (b.length === 0) expect(result).toMatchObject({ code: 'EMPTY_FILE' });
        else if (!result.accepted) expect(result.code).toBe('UNSUPPORTED_FORMAT');
      }),
      { numRuns: RUNS },
    );
  });

  it('only the bytes decide: a real photo with junk appended is still that photo, junk with a photo appended is not', () => {
    fc.assert(
      fc.property(fc.constantFrom('jpeg', 'png', 'webp', 'avif'), fc.uint8Array({ maxLength: 200 }), (format, junk) => {
        expect(sniffImage(new Uint8Array([...real[format]!, ...junk]))).toEqual({ accepted: true, format });
        const behind = new Uint8Array([...junk, ...real[format]!]);
        if (!startsWithKnownSignature(behind)) expect(sniffImage(behind).accepted).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
