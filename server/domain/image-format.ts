/**
 * Recognises an upload by its first bytes, never by its name or the client's MIME type.
 * Formats we accept are photographs; everything else gets a refusal code a person understands.
 */
export type AcceptedFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'heic';

export type Sniffed =
  | { accepted: true; format: AcceptedFormat }
  | { accepted: false; code: 'EMPTY_FILE' | 'UNSUPPORTED_FORMAT'; detected: string };

const startsWith = (b: Uint8Array, bytes: number[], at = 0) => bytes.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));

// ISO-BMFF brands: AVIF is AV1 in HEIF; the rest are HEVC-coded HEIF as iPhones write it.
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

function isoBrands(b: Uint8Array): string[] | null {
  if (b.length < 16 || ascii(b, 4, 8) !== 'ftyp') return null;
  const size = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const end = Math.min(Math.max(size, 16), b.length, 256);
  const brands = [ascii(b, 8, 12)];
  for (let i = 16; i + 4 <= end; i += 4) brands.push(ascii(b, i, i + 4));
  return brands;
}

export function sniffImage(b: Uint8Array): Sniffed {
  if (b.length === 0) return { accepted: false, code: 'EMPTY_FILE', detected: 'empty' };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { accepted: true, format: 'jpeg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { accepted: true, format: 'png' };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { accepted: true, format: 'webp' };
  const brands = isoBrands(b);
  if (brands) {
    if (brands.some((x) => AVIF_BRANDS.has(x))) return { accepted: true, format: 'avif' };
    if (brands.some((x) => HEIC_BRANDS.has(x))) return { accepted: true, format: 'heic' };
    return { accepted: false, code: 'UNSUPPORTED_FORMAT', detected: 'video' };
  }
  return { accepted: false, code: 'UNSUPPORTED_FORMAT', detected: describe(b) };
}

/** A word for what the file seems to be, for the refusal message and the audit log. */
function describe(b: Uint8Array): string {
  const head = ascii(b, 0, 512).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('gif8')) return 'gif';
  if (head.startsWith('%pdf')) return 'pdf';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'executable';
  if (startsWith(b, [0x4d, 0x5a])) return 'executable';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(b, [0x42, 0x4d])) return 'bmp';
  if (head.includes('<svg')) return 'svg';
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.includes('<script')) return 'html';
  if (head.startsWith('<?xml')) return 'xml';
  return 'unknown';
}
