import exifr from 'exifr';
import sharp, { type Sharp } from 'sharp';
import type { AcceptedFormat } from '../domain/image-format.js';
import { inspectJpeg } from '../domain/jpeg-structure.js';

// One libvips thread per image: the pipeline runs about one image per core side by side,
// which is faster in total than several threads fighting over each image.
sharp.concurrency(1);
// The process keeps few images around; libvips' operation cache would only hold memory.
sharp.cache(false);

export interface ImageHeader {
  width: number;
  height: number;
}

export class ImageRefusal extends Error {
  constructor(
    readonly code: 'CORRUPT_IMAGE' | 'TOO_MANY_PIXELS' | 'UNSUPPORTED_FORMAT' | 'METADATA_SURVIVED',
    message: string,
  ) {
    super(message);
  }
}

/** Reads width and height from the header only, without decoding any pixels. */
export async function readHeader(input: Buffer): Promise<ImageHeader> {
  try {
    const m = await sharp(input, { limitInputPixels: false }).metadata();
    if (!m.width || !m.height) throw new ImageRefusal('CORRUPT_IMAGE', 'The image has no size in its header.');
    // EXIF orientations 5–8 swap width and height; the pixel count is the same either way.
    return { width: m.width, height: m.height };
  } catch (err) {
    if (err instanceof ImageRefusal) throw err;
    throw new ImageRefusal('CORRUPT_IMAGE', 'The image could not be read.');
  }
}

/**
 * The moment the photo was taken, read before the metadata is thrown away, as local time
 * (with its offset when the camera recorded one). GPS is never read.
 */
export async function readCaptureTime(input: Buffer): Promise<string | null> {
  try {
    const tags = await exifr.parse(input, {
      pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal'],
      reviveValues: false,
      gps: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
    });
    const raw: unknown = tags?.DateTimeOriginal ?? tags?.CreateDate;
    if (typeof raw !== 'string') return null;
    const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw);
    if (!m || m[1] === '0000') return null;
    const offset = typeof tags?.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal) ? tags.OffsetTimeOriginal : '';
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`;
  } catch {
    return null;
  }
}

export interface Derivative {
  bytes: Buffer;
  width: number;
  height: number;
}

export interface RenderOptions {
  maxPixels: number;
  displayEdge: number;
  thumbEdge: number;
  quality: number;
}

/** Decodes an image into an upright sharp pipeline: EXIF orientation applied, HEVC through libheif. */
async function decodeUpright(input: Buffer, format: AcceptedFormat, maxPixels: number): Promise<Sharp> {
  if (format === 'heic') {
    // sharp's prebuilt libvips has no HEVC decoder; libheif (WebAssembly) decodes it, and
    // applies the HEIF rotation and mirroring itself.
    // Loaded on first use: libheif's WebAssembly costs tens of megabytes of memory that a
    // server which never sees a HEIC photo should not carry.
    const { default: decodeHeic } = await import('heic-decode');
    let decoded;
    try {
      decoded = await decodeHeic({ buffer: input });
    } catch {
      throw new ImageRefusal('CORRUPT_IMAGE', 'The HEIC image is damaged or incomplete.');
    }
    if (decoded.width * decoded.height > maxPixels) throw new ImageRefusal('TOO_MANY_PIXELS', 'The image has too many pixels.');
    const pixels = Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    return sharp(pixels, { raw: { width: decoded.width, height: decoded.height, channels: 4 } });
  }
  return sharp(input, { limitInputPixels: maxPixels, failOn: 'truncated', sequentialRead: true }).rotate();
}

/**
 * Decodes the original once into the display derivative, and makes the thumbnail from that,
 * both re-encoded as baseline JPEG with no metadata of the original carried through. The
 * display goes from the decoder to the JPEG encoder in one libvips pipeline: no raw copy of
 * its pixels passes through JavaScript, and the thumbnail costs a small decode of the display.
 */
export async function renderDerivatives(input: Buffer, format: AcceptedFormat, o: RenderOptions): Promise<{ display: Derivative; thumb: Derivative }> {
  try {
    const upright = await decodeUpright(input, format, o.maxPixels);
    const display = await upright
      .resize(o.displayEdge, o.displayEdge, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: o.quality })
      .toBuffer({ resolveWithObject: true });
    const thumb = await downscaleJpeg(display.data, o.thumbEdge, o.quality);
    return {
      display: { bytes: display.data, width: display.info.width, height: display.info.height },
      thumb,
    };
  } catch (err) {
    if (err instanceof ImageRefusal) throw err;
    const message = err instanceof Error ? err.message : '';
    if (/pixel limit/i.test(message)) throw new ImageRefusal('TOO_MANY_PIXELS', 'The image has too many pixels.');
    throw new ImageRefusal('CORRUPT_IMAGE', 'The image is damaged or incomplete.');
  }
}

/** A smaller copy of a clean derivative for a channel with a lower limit; never enlarges. */
export async function downscaleJpeg(input: Buffer, maxEdge: number, quality: number): Promise<Derivative> {
  const out = await sharp(input)
    .resize(maxEdge, maxEdge, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality })
    .toBuffer({ resolveWithObject: true });
  return { bytes: out.data, width: out.info.width, height: out.info.height };
}

/**
 * Checks a derivative on its own, independently of how it was made: exifr finds no EXIF, XMP,
 * IPTC, ICC or thumbnail, and the JPEG has no APPn or COM segment and nothing after its end.
 */
export async function verifyClean(jpeg: Buffer): Promise<void> {
  const structure = inspectJpeg(jpeg);
  if (!structure.valid) throw new ImageRefusal('METADATA_SURVIVED', 'The derivative is not a well-formed JPEG.');
  if (structure.metadataSegments.length > 0 || structure.trailingBytes > 0) {
    throw new ImageRefusal('METADATA_SURVIVED', `The derivative still carries ${structure.metadataSegments.join(', ') || 'trailing bytes'}.`);
  }
  const found = await exifr.parse(jpeg, { tiff: true, xmp: true, icc: true, iptc: true, jfif: true, ihdr: true, mergeOutput: false }).catch(() => undefined);
  const thumb = await exifr.thumbnail(jpeg).catch(() => undefined);
  if ((found && Object.keys(found).length > 0) || thumb) throw new ImageRefusal('METADATA_SURVIVED', 'The derivative still carries metadata.');
}
