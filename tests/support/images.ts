/**
 * The project's own test images, made at test time: photographs with planted metadata (each
 * piece carrying a marker string a test later looks for in the derivatives), EXIF orientations
 * 1–8 of a known asymmetric picture, and the uploads that must be refused (too many pixels,
 * truncated, corrupt, not images, polyglots). Writing metadata here with sharp's withExif and
 * friends is fine: these are inputs; only the pipeline must never carry metadata through.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { seededRandom } from '../../scripts/lib/random.js';

/** Unique strings planted in the fixtures; none may appear in any derivative or in the database. */
export const MARKERS = {
  make: 'SAMTYKKE-MARKER-MAKE',
  model: 'SAMTYKKE-MARKER-MODEL',
  artist: 'SAMTYKKE-MARKER-ARTIST',
  copyright: 'SAMTYKKE-MARKER-COPYRIGHT',
  description: 'SAMTYKKE-MARKER-DESCRIPTION',
  software: 'SAMTYKKE-MARKER-SOFTWARE',
  gps: 'SAMTYKKE-MARKER-GPS',
  xmp: 'SAMTYKKE-MARKER-XMP',
  iptc: 'SAMTYKKE-MARKER-IPTC',
  icc: 'SAMTYKKE-MARKER-ICC',
  comment: 'SAMTYKKE-MARKER-COM',
  trailer: 'SAMTYKKE-MARKER-TRAILER',
  trailerJpeg: 'SAMTYKKE-MARKER-TRAILER-JPEG',
  pngText: 'SAMTYKKE-MARKER-PNG-TEXT',
  pngItxt: 'SAMTYKKE-MARKER-PNG-ITXT',
  html: 'SAMTYKKE-MARKER-POLYGLOT-HTML',
  zip: 'SAMTYKKE-MARKER-POLYGLOT-ZIP',
} as const;

export const ALL_MARKERS: string[] = Object.values(MARKERS);

/** Where the planted photos say they were taken: Oslo city hall, 59°54'30.12" N 10°44'20.04" E. */
export const PLANTED_GPS = {
  latitude: [59, 54, 30.12] as const,
  longitude: [10, 44, 20.04] as const,
  /** The forms a stored coordinate would take: decimal degrees and the XMP "deg,min" text. */
  texts: ['59.9083', '10.7389', '59,54.502', '10,44.334', '59°54', '10°44'],
};

/** When the planted photos say they were taken, and what the API should report for it. */
export const PLANTED_CAPTURE = { exif: '2024:05:17 10:11:12', offset: '+02:00', capturedAt: '2024-05-17T10:11:12+02:00' };

// ---------------------------------------------------------------------------------------------
// Pixels

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

/** Photograph-like RGB pixels: soft gradients, a few shapes with edges and sensor noise, never flat. */
export function photographicPixels(width: number, height: number, seed = 1): RawImage {
  const rnd = seededRandom(seed);
  const data = Buffer.alloc(width * height * 3);
  // A clamped view rounds and clamps on assignment; separable waves and a table of noise keep
  // a 12-megapixel image to well under a second.
  const px = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  const wave = (n: number, f: number, phase: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((i / n) * f + phase));
  const [fx, fy] = [2 + rnd() * 4, 1 + rnd() * 3];
  const [c0, c1, c2] = [wave(width, fx, 0), wave(width, fx * 1.7, 1), wave(width, fx * 0.6, 2)];
  const [r0, r1, r2] = [wave(height, fy, 0.5), wave(height, fy * 2.3, 1.5), wave(height, fy * 0.8, 2.5)];
  const noise = Float32Array.from({ length: 65_536 }, () => (rnd() - 0.5) * 24);
  let k = Math.floor(rnd() * 65_536);
  for (let y = 0; y < height; y++) {
    const [a, b, c] = [95 + 30 * r0[y]!, 115 + 35 * r1[y]!, 135 + 40 * r2[y]!];
    k = (k + 7919 + y * 31) & 0xffff;
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      const n = noise[(k + x * 13) & 0xffff]!;
      px[i] = a + 50 * c0[x]! + n;
      px[i + 1] = b + 40 * c1[x]! + n;
      px[i + 2] = c + 35 * c2[x]! + n;
    }
  }
  // A few round shapes with hard edges, blended over the background.
  for (let s = 0; s < 6; s++) {
    const [cx, cy, radius] = [rnd() * width, rnd() * height, (0.05 + rnd() * 0.2) * Math.min(width, height)];
    const colour = [rnd() * 255 * 0.7, rnd() * 255 * 0.7, rnd() * 255 * 0.7] as const;
    for (let y = Math.max(0, Math.ceil(cy - radius)); y < Math.min(height, cy + radius); y++) {
      const half = Math.sqrt(radius * radius - (y - cy) * (y - cy));
      for (let x = Math.max(0, Math.ceil(cx - half)), i = (y * width + x) * 3; x < Math.min(width, cx + half); x++, i += 3) {
        px[i] = px[i]! * 0.3 + colour[0];
        px[i + 1] = px[i + 1]! * 0.3 + colour[1];
        px[i + 2] = px[i + 2]! * 0.3 + colour[2];
      }
    }
  }
  return { data, width, height, channels: 3 };
}


const fromRaw = (img: RawImage) => sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });

/** A photograph-like JPEG with no metadata at all. */
export async function photographicJpeg(width: number, height: number, seed = 1, quality = 90): Promise<Buffer> {
  return fromRaw(photographicPixels(width, height, seed)).jpeg({ quality }).toBuffer();
}

// ---------------------------------------------------------------------------------------------
// Metadata to plant

const rational = (parts: readonly number[]) => parts.map((p) => `${Math.round(p * 100)}/100`).join(' ');

/** EXIF for sharp's withExif: camera, people, time and GPS, every text a marker. */
export const PLANTED_EXIF = {
  IFD0: {
    Make: MARKERS.make,
    Model: MARKERS.model,
    Artist: MARKERS.artist,
    Copyright: MARKERS.copyright,
    ImageDescription: MARKERS.description,
    Software: MARKERS.software,
  },
  IFD2: { DateTimeOriginal: PLANTED_CAPTURE.exif, CreateDate: PLANTED_CAPTURE.exif, OffsetTimeOriginal: PLANTED_CAPTURE.offset },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: rational(PLANTED_GPS.latitude),
    GPSLongitudeRef: 'E',
    GPSLongitude: rational(PLANTED_GPS.longitude),
    GPSMapDatum: MARKERS.gps,
  },
};

export const PLANTED_XMP = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    exif:GPSLatitude="59,54.502N" exif:GPSLongitude="10,44.334E" photoshop:City="${MARKERS.xmp}-CITY">
   <dc:creator><rdf:Seq><rdf:li>${MARKERS.xmp}</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

/**
 * A small but valid ICC v2 RGB display profile (sRGB primaries, gamma 2.2) whose description
 * and copyright are markers: lcms accepts it, and any "ICC text" that survives is findable.
 */
export function plantedIccProfile(): Buffer {
  const s15 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(Math.round(v * 65536));
    return b;
  };
  const xyz = (x: number, y: number, z: number) => Buffer.concat([Buffer.from('XYZ \0\0\0\0', 'latin1'), s15(x), s15(y), s15(z)]);
  const desc = (() => {
    const text = Buffer.from(`${MARKERS.icc}\0`, 'latin1');
    const count = Buffer.alloc(4);
    count.writeUInt32BE(text.length);
    // ASCII part, then empty Unicode and ScriptCode parts as ICC v2 requires.
    return Buffer.concat([Buffer.from('desc\0\0\0\0', 'latin1'), count, text, Buffer.alloc(4 + 4 + 2 + 1 + 67)]);
  })();
  const cprt = Buffer.concat([Buffer.from('text\0\0\0\0', 'latin1'), Buffer.from(`${MARKERS.icc}-COPYRIGHT\0`, 'latin1')]);
  const curve = Buffer.from([0x63, 0x75, 0x72, 0x76, 0, 0, 0, 0, 0, 0, 0, 1, 0x02, 0x33, 0, 0]);
  const tags: [string, Buffer][] = [
    ['desc', desc],
    ['cprt', cprt],
    ['wtpt', xyz(0.9642, 1, 0.8249)],
    ['rXYZ', xyz(0.4361, 0.2225, 0.0139)],
    ['gXYZ', xyz(0.3851, 0.7169, 0.0971)],
    ['bXYZ', xyz(0.1431, 0.0606, 0.7141)],
    ['rTRC', curve],
    ['gTRC', curve],
    ['bTRC', curve],
  ];
  const pad4 = (b: Buffer) => (b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b);
  const tableSize = 4 + tags.length * 12;
  let offset = 128 + tableSize;
  const table = Buffer.alloc(tableSize);
  table.writeUInt32BE(tags.length, 0);
  const bodies: Buffer[] = [];
  tags.forEach(([sig, body], i) => {
    table.write(sig, 4 + i * 12, 'latin1');
    table.writeUInt32BE(offset, 8 + i * 12);
    table.writeUInt32BE(body.length, 12 + i * 12);
    const padded = pad4(body);
    bodies.push(padded);
    offset += padded.length;
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0);
  header.write('lcms', 4, 'latin1');
  header.writeUInt32BE(0x02100000, 8);
  header.write('mntrRGB XYZ ', 12, 'latin1');
  [2024, 5, 17, 10, 11, 12].forEach((v, i) => header.writeUInt16BE(v, 24 + i * 2));
  header.write('acsp', 36, 'latin1');
  s15(0.9642).copy(header, 68);
  s15(1).copy(header, 72);
  s15(0.8249).copy(header, 76);
  return Buffer.concat([header, table, ...bodies]);
}

/** An APP13 "Photoshop 3.0" segment with an IPTC record: by-line, city, caption and copyright. */
function iptcSegment(): Buffer {
  const dataset = (n: number, text: string) => {
    const value = Buffer.from(text, 'latin1');
    const head = Buffer.from([0x1c, 0x02, n, 0, 0]);
    head.writeUInt16BE(value.length, 3);
    return Buffer.concat([head, value]);
  };
  let iptc = Buffer.concat([
    Buffer.from([0x1c, 0x02, 0x00, 0x00, 0x02, 0x00, 0x04]),
    dataset(80, `${MARKERS.iptc}-BYLINE`),
    dataset(90, `${MARKERS.iptc}-CITY`),
    dataset(120, `${MARKERS.iptc}-CAPTION`),
    dataset(116, `${MARKERS.iptc}-COPYRIGHT`),
  ]);
  if (iptc.length % 2) iptc = Buffer.concat([iptc, Buffer.alloc(1)]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iptc.length);
  const resource = Buffer.concat([Buffer.from('8BIM', 'latin1'), Buffer.from([0x04, 0x04, 0, 0]), size, iptc]);
  return jpegSegment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]));
}

export function jpegSegment(marker: number, payload: Buffer): Buffer {
  if (payload.length + 2 > 0xffff) throw new Error('segment too long');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Inserts segments after the JPEG's leading APPn segments (where cameras put theirs). */
export function insertJpegSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  let i = 2;
  while (jpeg[i] === 0xff && jpeg[i + 1]! >= 0xe0 && jpeg[i + 1]! <= 0xef) i += 2 + jpeg.readUInt16BE(i + 2);
  return Buffer.concat([jpeg.subarray(0, i), ...segments, jpeg.subarray(i)]);
}

// ---------------------------------------------------------------------------------------------
// Photos with metadata

const memo = <T>(make: () => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
};

/**
 * A 1800×1200 photograph with everything a camera or phone may leave in a JPEG: EXIF (camera,
 * artist, copyright, description, capture time, GPS), XMP (with GPS), IPTC, an ICC profile,
 * a COM comment, and bytes after the end marker (text and a second JPEG, as MPF phones write).
 */
export const plantedJpeg = memo(async () => {
  const base = await fromRaw(photographicPixels(1800, 1200, 7)).withExif(PLANTED_EXIF).withXmp(PLANTED_XMP).jpeg({ quality: 88 }).toBuffer();
  const icc = plantedIccProfile();
  const withSegments = insertJpegSegments(base, [
    jpegSegment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), icc])),
    iptcSegment(),
    jpegSegment(0xfe, Buffer.from(`${MARKERS.comment} taken at the kindergarten`, 'latin1')),
  ]);
  const trailerJpeg = insertJpegSegments(await photographicJpeg(64, 48, 8), [jpegSegment(0xfe, Buffer.from(MARKERS.trailerJpeg, 'latin1'))]);
  return Buffer.concat([withSegments, Buffer.from(`${MARKERS.trailer}\n`, 'latin1'), trailerJpeg]);
});

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** Inserts chunks right after IHDR. */
function insertPngChunks(png: Buffer, chunks: Buffer[]): Buffer {
  const afterIhdr = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, afterIhdr), ...chunks, png.subarray(afterIhdr)]);
}

/** A PNG with eXIf (GPS included), XMP, an ICC profile, tEXt and iTXt chunks and a trailer. */
export const plantedPng = memo(async () => {
  const base = await fromRaw(photographicPixels(900, 600, 11)).withExif(PLANTED_EXIF).withXmp(PLANTED_XMP).withIccProfile(await iccFile()).png().toBuffer();
  const text = pngChunk('tEXt', Buffer.from(`Comment\0${MARKERS.pngText}`, 'latin1'));
  const itxt = pngChunk('iTXt', Buffer.from(`Author\0\0\0\0\0${MARKERS.pngItxt}`, 'latin1'));
  // sharp compresses its XMP chunk; an uncompressed one, as many tools write it, is findable.
  const xmp = pngChunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${PLANTED_XMP}`, 'utf8'));
  return Buffer.concat([insertPngChunks(base, [text, itxt, xmp]), Buffer.from(MARKERS.trailer, 'latin1')]);
});

/** A WebP with EXIF (GPS included), XMP and an ICC profile. */
export const plantedWebp = memo(async () =>
  fromRaw(photographicPixels(800, 600, 13)).withExif(PLANTED_EXIF).withXmp(PLANTED_XMP).withIccProfile(await iccFile()).webp({ quality: 85 }).toBuffer(),
);

/** An AVIF with EXIF (GPS included) and XMP. */
export const plantedAvif = memo(async () =>
  fromRaw(photographicPixels(640, 480, 17)).withExif(PLANTED_EXIF).withXmp(PLANTED_XMP).avif({ quality: 60, effort: 0 }).toBuffer(),
);

// sharp takes an ICC profile to embed by file name only. The profile never changes, so one
// file in the temp folder serves every run (written under a unique name and renamed into place,
// as test files run side by side).
const iccFile = memo(async () => {
  const file = path.join(tmpdir(), 'samtykke-planted-v1.icc');
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, plantedIccProfile());
  renameSync(temp, file);
  return file;
});

// ---------------------------------------------------------------------------------------------
// Orientation

/**
 * An upright picture no rotation or mirror maps onto itself: a gradient, a red block top left,
 * a thick green bar along the top, a blue square bottom right and a yellow stripe down the left.
 */
export function uprightPattern(width: number, height: number): RawImage {
  const img = photographicPixels(width, height, 3);
  const paint = (x0: number, y0: number, x1: number, y1: number, c: [number, number, number]) => {
    for (let y = Math.floor(y0 * height); y < Math.floor(y1 * height); y++)
      for (let x = Math.floor(x0 * width); x < Math.floor(x1 * width); x++) img.data.set(c, (y * width + x) * 3);
  };
  paint(0, 0, 1, 0.12, [20, 200, 40]);
  paint(0.05, 0.2, 0.35, 0.5, [230, 20, 20]);
  paint(0.7, 0.7, 0.95, 0.95, [20, 30, 220]);
  paint(0, 0.12, 0.04, 1, [250, 240, 10]);
  return img;
}

/**
 * The pixels a camera stores for an upright picture under EXIF orientation `o`, so that a
 * viewer applying `o` shows the upright picture again (mapping written out per the EXIF spec,
 * independently of sharp's own auto-orientation).
 */
export function storedForOrientation(up: RawImage, o: number): RawImage {
  const { width: W, height: H } = up;
  const swap = o >= 5;
  const sw = swap ? H : W;
  const sh = swap ? W : H;
  const data = Buffer.alloc(sw * sh * 3);
  for (let y = 0; y < sh; y++)
    for (let x = 0; x < sw; x++) {
      const [ux, uy] = (
        {
          1: [x, y],
          2: [W - 1 - x, y],
          3: [W - 1 - x, H - 1 - y],
          4: [x, H - 1 - y],
          5: [y, x],
          6: [W - 1 - y, x],
          7: [W - 1 - y, H - 1 - x],
          8: [y, H - 1 - x],
        } as Record<number, [number, number]>
      )[o]!;
      up.data.copy(data, (y * sw + x) * 3, (uy * W + ux) * 3, (uy * W + ux) * 3 + 3);
    }
  return { data, width: sw, height: sh, channels: 3 };
}

/** A JPEG of the upright pattern stored under EXIF orientation `o` (1–8); landscape 480×300 unless sized. */
export async function orientedJpeg(o: number, shape: 'landscape' | 'portrait' = 'landscape', long = 480, short = 300): Promise<Buffer> {
  const up = shape === 'landscape' ? uprightPattern(long, short) : uprightPattern(short, long);
  return fromRaw(storedForOrientation(up, o)).withMetadata({ orientation: o }).jpeg({ quality: 92 }).toBuffer();
}

/** Mean absolute difference (0–255) of two images, both reduced to 32×32 greyscale. */
export async function pictureDistance(a: Buffer, b: Buffer): Promise<number> {
  const small = (x: Buffer) => sharp(x).resize(32, 32, { fit: 'fill' }).greyscale().raw().toBuffer();
  const [pa, pb] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < pa.length; i++) sum += Math.abs(pa[i]! - pb[i]!);
  return sum / pa.length;
}

/** The eight ways a picture can be turned or mirrored, for proving the comparison can fail. */
export async function turnedVariants(jpeg: Buffer): Promise<{ name: string; bytes: Buffer }[]> {
  const s = () => sharp(jpeg);
  return Promise.all(
    [
      ['mirrored', s().flop()],
      ['flipped', s().flip()],
      ['rotated 90', s().rotate(90)],
      ['rotated 180', s().rotate(180)],
      ['rotated 270', s().rotate(270)],
      ['transposed', s().rotate(90).flop()],
      ['transversed', s().rotate(270).flop()],
    ].map(async ([name, img]) => ({ name: name as string, bytes: await (img as Sharp).jpeg().toBuffer() })),
  );
}

// ---------------------------------------------------------------------------------------------
// Uploads that must be refused

/**
 * A valid 10000×10000 PNG (100 megapixels, one colour) of about 12 kB: 1-bit greyscale rows
 * of zeros deflate a thousandfold. Decoding it would take 300 MB as RGB.
 */
export function hugePng(width = 10_000, height = 10_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 and black pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small, valid JPEG whose frame header (SOFn) is patched to claim width × height. */
export async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(await photographicJpeg(64, 64, 5));
  let i = 2;
  while (i < jpeg.length) {
    const marker = jpeg[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      jpeg.writeUInt16BE(height, i + 5);
      jpeg.writeUInt16BE(width, i + 7);
      return jpeg;
    }
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  throw new Error('no frame header found');
}

/** A photograph cut off part-way through its compressed data. */
export async function truncatedJpeg(width = 1800, height = 1200, keep = 0.55): Promise<Buffer> {
  const jpeg = await photographicJpeg(width, height, 21);
  return jpeg.subarray(0, Math.floor(jpeg.length * keep));
}

/** A PNG with a correct signature, header and checksums whose image data is not deflate at all. */
export function corruptPng(width = 640, height = 480): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const garbage = Buffer.alloc(4096);
  const rnd = seededRandom(99);
  for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rnd() * 256);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', garbage), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A WebP container (RIFF/WEBP/VP8) whose frame data is noise. */
export function corruptWebp(): Buffer {
  const rnd = seededRandom(77);
  const payload = Buffer.alloc(2048);
  for (let i = 0; i < payload.length; i++) payload[i] = Math.floor(rnd() * 256);
  const vp8 = Buffer.concat([Buffer.from('VP8 ', 'latin1'), Buffer.alloc(4), payload]);
  vp8.writeUInt32LE(payload.length, 4);
  const riff = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), Buffer.from('WEBP', 'latin1'), vp8]);
  riff.writeUInt32LE(riff.length - 8, 4);
  return riff;
}

export const SVG_WITH_SCRIPT = Buffer.from(
  `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script><rect width="100" height="100" fill="red"/></svg>\n`,
);
export const HTML_PAGE = Buffer.from('<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>fetch("/api/me")</script></body></html>\n');
export const PDF_DOCUMENT = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** The first bytes of a 64-bit Linux executable. */
export const ELF_EXECUTABLE = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(8), Buffer.from([2, 0, 0x3e, 0, 1, 0, 0, 0]), Buffer.alloc(200, 0x90)]);

/** A valid JPEG followed by an HTML page: a browser sniffing it could run the script. */
export const polyglotHtmlJpeg = memo(async () =>
  Buffer.concat([await photographicJpeg(400, 300, 31), Buffer.from(`<html><body><script>alert("${MARKERS.html}")</script></body></html>`)]),
);

/** A valid JPEG followed by a ZIP archive (stored, one file): unzip opens it, viewers show the photo. */
export const polyglotZipJpeg = memo(async () => Buffer.concat([await photographicJpeg(400, 300, 37), storedZip(`${MARKERS.zip}.txt`, Buffer.from(`${MARKERS.zip}\n`))]));

function storedZip(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name, 'latin1');
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const localSize = local.length + fileName.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, content, central, fileName, end]);
}

// ---------------------------------------------------------------------------------------------
// The sets the tests use

export interface AcceptedFixture {
  name: string;
  bytes: Buffer;
  /** Strings planted in this file that no derivative may contain. */
  markers: string[];
  /** The capture time the API should report. */
  capturedAt?: string | null;
}

export interface RefusedFixture {
  name: string;
  bytes: Buffer;
  code: 'EMPTY_FILE' | 'UNSUPPORTED_FORMAT' | 'CORRUPT_IMAGE' | 'TOO_MANY_PIXELS';
  status: 415 | 422;
}

const M = MARKERS;
const EXIF_MARKERS = [M.make, M.model, M.artist, M.copyright, M.description, M.software, M.gps];

/** Photos with planted metadata and polyglots: accepted, as clean derivatives. */
export const plantedFixtures = memo(async (): Promise<AcceptedFixture[]> => [
  {
    name: 'planted.jpg',
    bytes: await plantedJpeg(),
    markers: [...EXIF_MARKERS, M.xmp, M.iptc, M.icc, M.comment, M.trailer, M.trailerJpeg],
    capturedAt: PLANTED_CAPTURE.capturedAt,
  },
  { name: 'planted.png', bytes: await plantedPng(), markers: [...EXIF_MARKERS, M.xmp, M.pngText, M.pngItxt, M.trailer], capturedAt: PLANTED_CAPTURE.capturedAt },
  // exifr reads no EXIF from WebP and AVIF, so their capture time is not known.
  { name: 'planted.webp', bytes: await plantedWebp(), markers: [...EXIF_MARKERS, M.xmp, M.icc], capturedAt: null },
  { name: 'planted.avif', bytes: await plantedAvif(), markers: [...EXIF_MARKERS, M.xmp], capturedAt: null },
  { name: 'polyglot-html.jpg', bytes: await polyglotHtmlJpeg(), markers: [M.html, '<script>', '<html><body>'], capturedAt: null },
  { name: 'polyglot-zip.jpg', bytes: await polyglotZipJpeg(), markers: [M.zip, 'PK\u0003\u0004\n\u0000', 'PK\u0001\u0002\u0014\u0000', 'PK\u0005\u0006\u0000\u0000'], capturedAt: null },
]);

/** Uploads that are not (usable) photos, each with the refusal the API must give. */
export const refusedFixtures = memo(async (): Promise<RefusedFixture[]> => [
  { name: 'huge-100mp.png', bytes: hugePng(), code: 'TOO_MANY_PIXELS', status: 422 },
  { name: 'claims-65000x65000.jpg', bytes: await jpegClaiming(65_000, 65_000), code: 'TOO_MANY_PIXELS', status: 422 },
  { name: 'truncated.jpg', bytes: await truncatedJpeg(), code: 'CORRUPT_IMAGE', status: 422 },
  { name: 'corrupt.png', bytes: corruptPng(), code: 'CORRUPT_IMAGE', status: 422 },
  { name: 'corrupt.webp', bytes: corruptWebp(), code: 'CORRUPT_IMAGE', status: 422 },
  { name: 'empty.jpg', bytes: Buffer.alloc(0), code: 'EMPTY_FILE', status: 422 },
  { name: 'script.svg', bytes: SVG_WITH_SCRIPT, code: 'UNSUPPORTED_FORMAT', status: 415 },
  { name: 'page.jpg', bytes: HTML_PAGE, code: 'UNSUPPORTED_FORMAT', status: 415 },
  { name: 'document.jpg', bytes: PDF_DOCUMENT, code: 'UNSUPPORTED_FORMAT', status: 415 },
  { name: 'program.jpg', bytes: ELF_EXECUTABLE, code: 'UNSUPPORTED_FORMAT', status: 415 },
]);
