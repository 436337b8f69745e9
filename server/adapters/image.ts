import { randomBytes } from 'node:crypto';
import { accessSync, close, closeSync, constants, existsSync, fstatSync, ftruncateSync, openSync, readSync, statfsSync, unlinkSync, writev, writeSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import exifr from 'exifr';
import sharp, { type Sharp } from 'sharp';
import type { AcceptedFormat } from '../domain/image-format.js';
import { jpegShrinkOnLoad, shrunkPixelLimit } from '../domain/jpeg-shrink.js';
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

/**
 * Where an image is read from: its bytes, or a file (an unnamed copy in RAM, see
 * withUnnamedCopy), from which libvips can decode a JPEG at a fraction of its size.
 */
export type ImageSource = Buffer | { file: string };
const sharpInput = (src: ImageSource) => (Buffer.isBuffer(src) ? src : src.file);

export class ImageRefusal extends Error {
  constructor(
    readonly code: 'CORRUPT_IMAGE' | 'TOO_MANY_PIXELS' | 'UNSUPPORTED_FORMAT' | 'METADATA_SURVIVED',
    message: string,
  ) {
    super(message);
  }
}

/** Reads width and height from the header only, without decoding any pixels. */
export async function readHeader(src: ImageSource): Promise<ImageHeader> {
  try {
    const m = await sharp(sharpInput(src), { limitInputPixels: false }).metadata();
    if (!m.width || !m.height) throw new ImageRefusal('CORRUPT_IMAGE', 'The image has no size in its header.');
    // EXIF orientations 5–8 swap width and height; the pixel count is the same either way.
    return { width: m.width, height: m.height };
  } catch (err) {
    if (err instanceof ImageRefusal) throw err;
    throw new ImageRefusal('CORRUPT_IMAGE', 'The image could not be read.');
  }
}

// exifr turns an options object into its settings once, and keeps them for that same object.
const CAPTURE_TIME_TAGS = {
  pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal'],
  reviveValues: false,
  gps: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
};
const EVERY_BLOCK = { tiff: true, xmp: true, icc: true, iptc: true, jfif: true, ihdr: true, mergeOutput: false };

/**
 * The moment the photo was taken, read before the metadata is thrown away, as local time
 * (with its offset when the camera recorded one). GPS is never read.
 */
export async function readCaptureTime(input: Buffer): Promise<string | null> {
  try {
    const tags = await exifr.parse(input, CAPTURE_TIME_TAGS);
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
  /** The size in the header, as readHeader gave it: decides how small a JPEG may be decoded. */
  source: ImageHeader;
  maxPixels: number;
  displayEdge: number;
  thumbEdge: number;
  quality: number;
}

/**
 * libjpeg's shrink-on-load (decoding at 1/2, 1/4 or 1/8 of the size) is reachable only through
 * libvips' load options, and sharp passes those only as part of a file name
 * (`photo.jpg[shrink=2]`); from a Buffer it never asks for a factor under 3. A JPEG upload is
 * therefore handed to libvips as a file that has no name: created in RAM (`/dev/shm`, tmpfs),
 * unlinked before a byte is written, read through this process's own descriptor
 * (`/proc/self/fd/N`), and overwritten with zeros when the photo is done (then kept a little
 * for the next upload, see closeRamFile) or gone with the descriptor, or when the process dies.
 * Nothing of the original reaches a disk or outlives the request; and the chunks the upload
 * arrived in go into it as they are, never copied into one Buffer.
 * Where there is no tmpfs or no /proc (not Linux), or the RAM disk is full, the bytes are
 * decoded from a Buffer in full: slower, never different.
 */
/** Linux's statfs magic numbers for the file systems that live in memory. */
const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;
const SCRATCH = (() => {
  if (!existsSync('/proc/self/fd')) return null;
  try {
    accessSync('/dev/shm', constants.W_OK);
    // Only where it is memory indeed: tmpfs or ramfs, not a folder on a disk.
    const { type } = statfsSync('/dev/shm');
    return type === TMPFS_MAGIC || type === RAMFS_MAGIC ? '/dev/shm' : null;
  } catch {
    return null;
  }
})();

/**
 * A new file in the RAM folder, unlinked before anything is written into it: its descriptor
 * (read and write), or null where none could be made. Both kinds of RAM file start here.
 */
function openNameless(): number | null {
  const name = path.join(SCRATCH!, `samtykke-${process.pid}-${randomBytes(12).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(name, 'wx+', 0o600);
  } catch {
    return null;
  }
  try {
    unlinkSync(name);
    return fd;
  } catch {
    closeSync(fd);
    try {
      unlinkSync(name);
    } catch {
      // Nothing more can be done; the name holds nothing.
    }
    return null;
  }
}

/** A file in RAM with no name, holding `chunks` one after the other; the caller closes its descriptor. */
async function openUnnamed(chunks: readonly Buffer[]): Promise<number> {
  const fd = openNameless();
  if (fd === null) throw new Error('No file could be made in RAM');
  try {
    const { bytesWritten } = await writevAsync(fd, chunks as Buffer[]);
    // A full RAM disk can end a write short without an error: never decode a cut-off copy.
    if (bytesWritten !== chunks.reduce((n, c) => n + c.length, 0)) throw new Error('The RAM disk is full');
    return fd;
  } catch (err) {
    await closeAsync(fd).catch(() => undefined);
    throw err;
  }
}
const writevAsync = promisify(writev);
const closeAsync = promisify(close);

/**
 * Runs `use` with the path of an unnamed file in RAM holding `chunks` one after the other, or
 * with null where there can be none.
 */
export async function withUnnamedCopy<T>(chunks: readonly Buffer[], use: (file: string | null) => Promise<T>): Promise<T> {
  if (!SCRATCH || !(await unnamedFilesWork())) return use(null);
  let fd: number;
  try {
    fd = await openUnnamed(chunks);
  } catch {
    return use(null);
  }
  try {
    return await use(`/proc/self/fd/${fd}`);
  } finally {
    await closeAsync(fd).catch(() => undefined);
  }
}

/**
 * An upload written into an unnamed file in RAM as it arrives (see createRamFile), so that its
 * socket buffers are let go at once instead of being held until the photo's turn. Whoever
 * holds it lets go of it (closeRamFile) when the photo is done or the request is over.
 */
export interface RamFile {
  readonly fd: number;
  /** The upload's bytes written so far, from the start of the file. */
  size: number;
  /** What the file holds on the RAM disk: more than `size` (zeros) while a kept file is written into again. */
  length: number;
  closed: boolean;
  /** How many reads by libvips are under way (see readingRamFile): let go meanwhile, it is left as it is until they are over. */
  reading: number;
}

/**
 * A new unnamed file in RAM for an upload whose first bytes are arriving, or null where there
 * can be none now (not Linux, no tmpfs, the probe not yet answered or answered no). Synchronous,
 * like everything done with it while the upload arrives: it is called from the stream's events.
 * A kept file (see closeRamFile) is used again first.
 */
export function createRamFile(expectedBytes: number): RamFile | null {
  if (!SCRATCH) return null;
  void unnamedFilesWork();
  if (!probeAnswer) return null;
  // Within the share of the RAM disk these files may take, and a bounded number of descriptors;
  // beyond either the upload is held as chunks instead.
  if (ramFiles.open >= MAX_OPEN_RAM_FILES) return null;
  // A kept file is used again: the upload takes only what it needs beyond the file's length.
  const fits = () => ramFiles.bytes + Math.max(0, expectedBytes - (kept.at(-1)?.length ?? 0)) <= ramFileCap();
  // Kept files give way when they are what leaves no room (and closing them would make it).
  if (!fits() && ramFiles.bytes - keptBytes() + expectedBytes <= ramFileCap()) closeKeptRamFiles();
  if (!fits()) return null;
  const reused = kept.at(-1);
  if (reused) {
    kept.pop();
    ramFiles.open += 1;
    return { fd: reused.fd, size: 0, length: reused.length, closed: false, reading: 0 };
  }
  const fd = openNameless();
  if (fd === null) return null;
  ramFiles.open += 1;
  return { fd, size: 0, length: 0, closed: false, reading: 0 };
}

/** What the RAM files of all uploads hold now (kept ones too), against their share of the RAM disk. */
const ramFiles = { open: 0, bytes: 0 };
const MAX_OPEN_RAM_FILES = 256;
let cap: number | undefined;
/** Half of what the RAM disk had free when first asked (a container's /dev/shm may be 64 MB). */
function ramFileCap(): number {
  if (cap === undefined) {
    try {
      const { bavail, bsize } = statfsSync(SCRATCH!);
      cap = Math.floor((bavail * bsize) / 2);
    } catch {
      cap = 0;
    }
  }
  return cap;
}

/** Appends the bytes; false when they could not all be written (the RAM disk's share is used up, or it is full). */
export function appendToRamFile(file: RamFile, bytes: Uint8Array): boolean {
  if (file.closed || ramFiles.bytes + Math.max(0, file.size + bytes.length - file.length) > ramFileCap()) return false;
  try {
    let done = 0;
    while (done < bytes.length) {
      const n = writeSync(file.fd, bytes, done, bytes.length - done, file.size + done);
      if (n <= 0) return false;
      done += n;
    }
    file.size += done;
    if (file.size > file.length) {
      ramFiles.bytes += file.size - file.length;
      file.length = file.size;
    }
    return true;
  } catch {
    return false;
  }
}

/** `length` bytes of the upload from `position` (fewer at its end). */
export function readRamFile(file: RamFile, length: number, position = 0): Buffer {
  if (file.closed) throw new Error('The RAM file is closed');
  const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, file.size - position)));
  let done = 0;
  while (done < out.length) {
    const n = readSync(file.fd, out, done, out.length - done, position + done);
    if (n <= 0) break;
    done += n;
  }
  return out.subarray(0, done);
}

/**
 * Lets go of the file, once. Its bytes are overwritten with zeros, and the file kept for the
 * next upload: writing into the pages a file already has, and zeros over them after, costs a
 * third of taking new pages from the kernel and giving them back (about 0.7 ms against 2 ms for
 * a 4 MB photo, on the event loop). At most KEPT_FILES files of KEPT_BYTES in all are kept,
 * and only for KEPT_FOR_MS after the last one was let go; any other file is closed, and its
 * memory goes back to the system. A file libvips may still be reading is left as it is, its
 * descriptor open, until the reading is over (readingRamFile then empties it): closed at once,
 * its descriptor's number could go to the next upload's file, and libvips, which opens the
 * file by that number for each step, would read that one instead.
 * Reuse is safe only because libvips keeps nothing of a file once a pipeline is done:
 * `sharp.cache(false)` above.
 */
export function closeRamFile(file: RamFile): void {
  if (file.closed) return;
  file.closed = true;
  ramFiles.open -= 1;
  if (file.reading === 0) release(file);
}

/** Empties and keeps, or closes, a file nobody holds any more. */
function release(file: RamFile): void {
  if (keep(file)) return;
  ramFiles.bytes -= file.length;
  try {
    closeSync(file.fd);
  } catch {
    // Already gone with its descriptor; nothing is left to free.
  }
}

const KEPT_FILES = 4;
const KEPT_BYTES = 16 * 1024 * 1024;
const KEPT_FOR_MS = 10_000;
/** Let-go files holding nothing but zeros, with their lengths, for the next uploads. */
const kept: { fd: number; length: number }[] = [];
const keptBytes = () => kept.reduce((n, k) => n + k.length, 0);
let zeros: Buffer | undefined;
let keptTimer: NodeJS.Timeout | undefined;

/** Empties the file (every byte it holds, not only the upload's) and keeps it; false when it is not to be kept. */
function keep(file: RamFile): boolean {
  if (kept.length >= KEPT_FILES || keptBytes() + file.length > KEPT_BYTES) return false;
  try {
    const length = fstatSync(file.fd).size;
    if (length !== file.length) return false;
    zeros ??= Buffer.alloc(1024 * 1024);
    for (let at = 0; at < length; ) {
      const n = writeSync(file.fd, zeros, 0, Math.min(zeros.length, length - at), at);
      if (n <= 0) return false;
      at += n;
    }
  } catch {
    return false;
  }
  kept.push({ fd: file.fd, length: file.length });
  if (keptTimer) keptTimer.refresh();
  else keptTimer = setTimeout(closeKeptRamFiles, KEPT_FOR_MS).unref();
  return true;
}

/** What the RAM files hold, for tests that check nothing is left over: files in use, bytes (kept files included), kept files. */
export function ramFileStats(): { open: number; bytes: number; kept: number } {
  return { open: ramFiles.open, bytes: ramFiles.bytes, kept: kept.length };
}

/** Closes the kept files (after KEPT_FOR_MS unused, and for tests that count open files). */
export function closeKeptRamFiles(): void {
  if (keptTimer) clearTimeout(keptTimer);
  keptTimer = undefined;
  for (const k of kept.splice(0)) {
    ramFiles.bytes -= k.length;
    try {
      closeSync(k.fd);
    } catch {
      // Already gone.
    }
  }
}

/**
 * The path libvips decodes a RAM file through, for `decode`'s time: the file is first cut where
 * the upload ends (a kept file may be longer), and is not kept if let go before `decode` is done.
 */
export async function readingRamFile<T>(file: RamFile, decode: (path: string) => Promise<T>): Promise<T> {
  if (file.closed) throw new Error('The RAM file is closed');
  if (file.length > file.size) {
    ftruncateSync(file.fd, file.size);
    ramFiles.bytes -= file.length - file.size;
    file.length = file.size;
  }
  file.reading += 1;
  try {
    return await decode(`/proc/self/fd/${file.fd}`);
  } finally {
    file.reading -= 1;
    // Let go while libvips read it: emptied (and kept, or closed) once the last read is done.
    if (file.closed && file.reading === 0) release(file);
  }
}

let probe: { works: Promise<boolean>; at: number; failed: boolean } | undefined;
/** The probe's last answer, for callers that cannot wait for it (createRamFile). */
let probeAnswer = false;
/**
 * Does libvips read a shrunk JPEG through an unnamed file here? Asked once per process, and
 * again a minute after a no (the RAM disk may only have been full).
 */
function unnamedFilesWork(): Promise<boolean> {
  if (!probe || (probe.failed && Date.now() - probe.at > 60_000)) {
    const asked = { works: Promise.resolve(false), at: Date.now(), failed: false };
    asked.works = tryUnnamedFile().then((ok) => {
      asked.failed = !ok;
      probeAnswer = ok;
      return ok;
    });
    probe = asked;
  }
  return probe.works;
}

async function tryUnnamedFile(): Promise<boolean> {
  try {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const fd = await openUnnamed([jpeg]);
    try {
      const m = await sharp(`/proc/self/fd/${fd}[shrink=2]`).toBuffer({ resolveWithObject: true });
      return m.info.width === 32 && m.info.height === 24;
    } finally {
      await closeAsync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Decodes an image into an upright sharp pipeline: EXIF orientation applied, HEVC through
 * libheif, a JPEG read from a file at 1/`shrink` of its size.
 */
async function decodeUpright(src: ImageSource, format: AcceptedFormat, maxPixels: number, shrink: number, source: ImageHeader): Promise<Sharp> {
  if (format === 'heic') {
    // sharp's prebuilt libvips has no HEVC decoder; libheif (WebAssembly) decodes it, and
    // applies the HEIF rotation and mirroring itself.
    // Loaded on first use: libheif's WebAssembly costs tens of megabytes of memory that a
    // server which never sees a HEIC photo should not carry.
    const { default: decodeHeic } = await import('heic-decode');
    let decoded;
    try {
      if (!Buffer.isBuffer(src)) throw new Error('HEIC is decoded from its bytes');
      decoded = await decodeHeic({ buffer: src });
    } catch {
      throw new ImageRefusal('CORRUPT_IMAGE', 'The HEIC image is damaged or incomplete.');
    }
    if (decoded.width * decoded.height > maxPixels) throw new ImageRefusal('TOO_MANY_PIXELS', 'The image has too many pixels.');
    const pixels = Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    return sharp(pixels, { raw: { width: decoded.width, height: decoded.height, channels: 4 } });
  }
  const options = { limitInputPixels: shrunkPixelLimit(maxPixels, shrink, source), failOn: 'truncated', sequentialRead: true } as const;
  const input = Buffer.isBuffer(src) ? src : shrink > 1 ? `${src.file}[shrink=${shrink}]` : src.file;
  return sharp(input, options).rotate();
}

/**
 * Decodes the original once into the display derivative, and makes the thumbnail from that,
 * both re-encoded as baseline JPEG with no metadata of the original carried through. The
 * display goes from the decoder to the JPEG encoder in one libvips pipeline: no raw copy of
 * its pixels passes through JavaScript, and the thumbnail costs a small decode of the display.
 */
export async function renderDerivatives(src: ImageSource, format: AcceptedFormat, o: RenderOptions): Promise<{ display: Derivative; thumb: Derivative }> {
  try {
    const shrink = format === 'jpeg' && !Buffer.isBuffer(src) ? jpegShrinkOnLoad(o.source.width, o.source.height, o.displayEdge) : 1;
    const display = await (await decodeUpright(src, format, o.maxPixels, shrink, o.source))
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
  const found = await exifr.parse(jpeg, EVERY_BLOCK).catch(() => undefined);
  const thumb = await exifr.thumbnail(jpeg).catch(() => undefined);
  if ((found && Object.keys(found).length > 0) || thumb) throw new ImageRefusal('METADATA_SURVIVED', 'The derivative still carries metadata.');
}
