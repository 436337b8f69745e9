import { closeRamFile, ImageRefusal, type ImageHeader, readCaptureTime, readHeader, readingRamFile, readRamFile, renderDerivatives, verifyClean, withUnnamedCopy, type Derivative, type ImageSource, type RamFile } from '../../adapters/image.js';
import { sniffImage, type AcceptedFormat } from '../../domain/image-format.js';
import { EXIF_SEARCH_BYTES, jpegExifSegment, jpegFrameSize } from '../../domain/jpeg-structure.js';

export const DISPLAY_EDGE = 1600;
export const THUMB_EDGE = 320;
export const JPEG_QUALITY = 80;

export interface Processed {
  format: AcceptedFormat;
  capturedAt: string | null;
  display: Derivative;
  thumb: Derivative;
}

export interface PipelineOptions {
  maxPixels: number;
  /**
   * Runs the decoding and encoding, the part of a photo that takes a core for tens of
   * milliseconds: the server passes its image queue (about one image per core). For an upload
   * in a RAM file, reading a JPEG's size from its frame header and the capture time before, and
   * checking the derivatives after, happen outside it, so that a core is not held waiting on
   * the event loop; libvips reads any other header inside it. An upload held as chunks is
   * copied, and all of it done, inside it. Default: at once.
   */
  slot?: <T>(work: () => Promise<T>) => Promise<T>;
}
const atOnce = <T>(work: () => Promise<T>) => work();

export type RefusalCode = 'EMPTY_FILE' | 'UNSUPPORTED_FORMAT' | 'CORRUPT_IMAGE' | 'TOO_MANY_PIXELS' | 'METADATA_SURVIVED';

export class PhotoRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    /** What the file seemed to be (jpeg, pdf, svg…), for the audit log. */
    readonly detected: string,
  ) {
    super(code);
  }
}

/** An upload's bytes: one Buffer, the chunks it arrived in, in order, or a RAM file they were written into. */
export type UploadBytes = Buffer | readonly Buffer[] | RamFile;

const isRamFile = (input: UploadBytes): input is RamFile => !Buffer.isBuffer(input) && !Array.isArray(input);

/** Lets go of an upload once its photo is done: a RAM file is emptied at once (see closeRamFile). */
export function releaseUpload(input: UploadBytes): void {
  if (isRamFile(input)) closeRamFile(input);
}

/**
 * The whole pipeline for one upload: recognise the format from the bytes, refuse too many
 * pixels from the header before decoding, read the capture time, decode once, make the
 * derivatives, and check each one on its own. The original bytes are never kept.
 *
 * A JPEG is read from an unnamed file in RAM (server/adapters/image.ts), so that a large one
 * is decoded at the size it is going to, and its chunks are never joined into one Buffer.
 */
export async function processUpload(input: UploadBytes, options: PipelineOptions): Promise<Processed> {
  if (isRamFile(input)) return processRamFile(input, options);
  const chunks = Buffer.isBuffer(input) ? [input] : (input as readonly Buffer[]);
  const sniffed = sniffImage(leadingBytes(chunks, SNIFFED_BYTES));
  if (!sniffed.accepted) throw new PhotoRefused(sniffed.code, sniffed.detected);
  const format = sniffed.format;
  // Here the copy into RAM, or into one Buffer, is made in the slot too, so that no more of
  // them exist at once than photos are being decoded.
  const inSlot: PipelineOptions = { ...options, slot: atOnce };
  try {
    return await (options.slot ?? atOnce)(async () => {
      const fromFile =
        format === 'jpeg'
          ? await withUnnamedCopy(chunks, (file) => (file ? clean({ decode: { file }, head: leadingBytes(chunks, HEAD_BYTES), metadata: exifOnly(chunks) }, format, inSlot) : Promise.resolve(null)))
          : null;
      if (fromFile) return fromFile;
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      return await clean(whole(bytes), format, inSlot);
    });
  } catch (err) {
    if (err instanceof ImageRefusal) throw new PhotoRefused(err.code, format);
    throw err;
  }
}

/** A JPEG upload already in a RAM file (server/http/middleware/upload.ts): read from there, never copied whole. */
async function processRamFile(file: RamFile, options: PipelineOptions): Promise<Processed> {
  if (file.closed) throw new Error('The upload is no longer held');
  const head = readRamFile(file, HEAD_BYTES);
  const sniffed = sniffImage(head.subarray(0, SNIFFED_BYTES));
  if (!sniffed.accepted) throw new PhotoRefused(sniffed.code, sniffed.detected);
  const format = sniffed.format;
  try {
    if (format !== 'jpeg') {
      const bytes = head.length === file.size ? head : readRamFile(file, file.size);
      return await clean(whole(bytes), format, options);
    }
    // The Exif segment is nearly always in the first few kB; it is looked for in the first MiB
    // (as in the chunks) only when it is not there.
    const exif = exifOnly([head]) ?? (file.size > head.length ? exifOnly([readRamFile(file, EXIF_SEARCH_BYTES)]) : null);
    return await readingRamFile(file, (path) => clean({ decode: { file: path }, head, metadata: exif }, format, options));
  } catch (err) {
    if (err instanceof ImageRefusal) throw new PhotoRefused(err.code, format);
    throw err;
  }
}

/** An upload as the cleaning reads it. */
interface Source {
  /** What libvips decodes: the bytes, or a file. */
  decode: ImageSource;
  /** The start of the file: a JPEG's size is read from its frame header there when it is. */
  head: Uint8Array;
  /** Where the capture time is read: the file's bytes, or its Exif alone (null: none). */
  metadata: Buffer | null;
}
/** An upload whose bytes are all at hand: they are all three. */
const whole = (bytes: Buffer): Source => ({ decode: bytes, head: bytes, metadata: bytes });

/** Makes and checks the derivatives. Only the decoding and encoding run in the slot. */
async function clean({ decode: src, head, metadata }: Source, format: AcceptedFormat, options: PipelineOptions): Promise<Processed> {
  const tooMany = (h: ImageHeader) => {
    if (h.width * h.height > options.maxPixels) throw new ImageRefusal('TOO_MANY_PIXELS', 'Too many pixels');
  };
  // A JPEG's size is in its frame header, nearly always within the head; libvips reads any other
  // header (and a JPEG whose frame header is further in) in the slot.
  const frame = format === 'jpeg' ? jpegFrameSize(head) : null;
  if (frame) tooMany(frame);
  const capturedAt = metadata ? await readCaptureTime(metadata) : null;
  const { display, thumb } = await (options.slot ?? atOnce)(async () => {
    const header = frame ?? (await readHeader(src));
    tooMany(header);
    return renderDerivatives(src, format, {
      source: header,
      maxPixels: options.maxPixels,
      displayEdge: DISPLAY_EDGE,
      thumbEdge: THUMB_EDGE,
      quality: JPEG_QUALITY,
    });
  });
  await verifyClean(display.bytes);
  await verifyClean(thumb.bytes);
  return { format, capturedAt, display, thumb };
}

/** What sniffImage looks at: the start of the file. */
const SNIFFED_BYTES = 1024;
/** What is read of a RAM file first, for the format, the size and, nearly always, the Exif segment. */
const HEAD_BYTES = 64 * 1024;
/** A JPEG's Exif segment on its own, as a tiny JPEG, copied out of the chunks (null: none). */
function exifOnly(chunks: readonly Buffer[]): Buffer | null {
  const exif = jpegExifSegment(chunks);
  return exif ? Buffer.from(exif.buffer, exif.byteOffset, exif.byteLength) : null;
}

/** The first `n` bytes of the chunks (fewer if there are fewer), copying only when the first chunk is shorter. */
function leadingBytes(chunks: readonly Buffer[], n: number): Buffer {
  const first = chunks[0] ?? Buffer.alloc(0);
  if (first.length >= n || chunks.length === 1) return first.subarray(0, n);
  const parts: Buffer[] = [];
  let have = 0;
  for (const c of chunks) {
    if (have >= n) break;
    parts.push(c.subarray(0, n - have));
    have += Math.min(c.length, n - have);
  }
  return Buffer.concat(parts, have);
}
