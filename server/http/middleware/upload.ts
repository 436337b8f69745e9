import type { Request, RequestHandler } from 'express';
import multer, { MulterError, type StorageEngine } from 'multer';
import { appendToRamFile, closeRamFile, createRamFile, readRamFile, type RamFile } from '../../adapters/image.js';
import type { ByteBudget, WorkQueue } from '../../adapters/work-queue.js';
import { AppError, ServiceBusyError } from '../../errors.js';

/** An uploaded file as it is held until processed: in a RAM file, or the chunks it arrived in. */
export interface HeldFile {
  chunks: Buffer[];
  /** A JPEG, written into an unnamed file in RAM as it arrived (null: held as chunks). */
  ram: RamFile | null;
  size: number;
}

/**
 * Keeps each uploaded file in memory only (an original never touches the disk), drawing
 * on a budget shared by all requests; when the budget is spent the upload is refused with 503.
 *
 * A JPEG is written as it arrives into an unnamed file in RAM (server/adapters/image.ts), which
 * libvips later decodes at the size it is going to; its socket buffers are let go at once,
 * instead of being held until the photo's turn, when the garbage collector would have had to
 * move them to its old generation and run full collections to free them. Other files, and a
 * JPEG where there can be no such file, are held as the chunks they arrived in, not copied
 * into one Buffer. Small chunks are copied, into blocks: a sender cutting the body into tiny
 * HTTP chunks would otherwise make one Buffer object, or one write, per byte.
 *
 * What is held is drawn from the budget as in a single Buffer: the rest of the body (from
 * Content-Length, at most the file limit) is reserved at the first byte, so that when memory
 * runs short some uploads go through and the others are refused at once, rather than all of
 * them failing half-way; the part not used is given back when the file ends.
 */
class BudgetedMemoryStorage implements StorageEngine {
  constructor(
    private readonly budget: ByteBudget,
    private readonly maxBytes: number,
  ) {}

  _handleFile(req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File> & HeldFile) => void): void {
    const chunks: Buffer[] = [];
    /** undefined until the first bytes say whether this is a JPEG. */
    let ram: RamFile | null | undefined;
    let size = 0;
    /** What this file has drawn from the budget, and what of that its chunks, blocks and RAM file hold. */
    let reserved = 0;
    let held = 0;
    let block: Buffer | null = null;
    let blockUsed = 0;
    let failed = false;
    const request = heldBytes(req);
    const take = (bytes: number): boolean => {
      // The response is over and its bytes given back: nothing may be drawn for it any more.
      if (request.released || !this.budget.tryTake(bytes)) return false;
      request.bytes += bytes;
      reserved += bytes;
      return true;
    };
    const hold = (cost: number): boolean => {
      if (held + cost > reserved && !take(Math.max(held + cost - reserved, reserved === 0 ? firstReservation(req, request.bytes, this.maxBytes) : 0))) return false;
      held += cost;
      return true;
    };
    const fail = (err: unknown) => {
      failed = true;
      chunks.length = 0;
      block = null;
      if (ram) closeRamFile(ram);
      cb(err);
    };
    /** Into the RAM file; if it cannot take them (the RAM disk is full), everything so far goes back to chunks. */
    const write = (bytes: Buffer) => {
      if (ram && appendToRamFile(ram, bytes)) return;
      if (ram) {
        if (ram.size > 0) chunks.push(readRamFile(ram, ram.size));
        closeRamFile(ram);
        ram = null;
      }
      chunks.push(Buffer.from(bytes));
    };
    const closeBlock = () => {
      if (block && blockUsed > 0) {
        if (ram) write(block.subarray(0, blockUsed));
        else chunks.push(block.subarray(0, blockUsed));
      }
      // A RAM file's block is written out and used again; a held block is kept.
      if (!ram) block = null;
      blockUsed = 0;
    };
    // busboy signals a file past the size limit here, long before multer reports it.
    file.stream.on('limit', () => refuseEarly(req, new MulterError('LIMIT_FILE_SIZE', file.fieldname)));
    file.stream.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (ram === undefined) {
        // A JPEG's first three bytes; a first chunk shorter than that is simply held.
        const isJpeg = chunk.length >= 3 && chunk[0] === 0xff && chunk[1] === 0xd8 && chunk[2] === 0xff;
        ram = isJpeg ? createRamFile(firstReservation(req, request.bytes, this.maxBytes)) : null;
        if (ram) request.ramFiles.push(ram);
      }
      if (ram) {
        // The bytes themselves are what the RAM file holds; the socket buffer is let go.
        if (!hold(chunk.length)) return busy();
        if (chunk.length >= KEPT_CHUNK && blockUsed === 0) write(chunk);
        else copyIntoBlocks(chunk);
      } else if (!block && chunk.length >= KEPT_CHUNK && chunk.length * 2 >= chunk.buffer.byteLength) {
        // A socket buffer, or most of one: kept as it is, counted with all of its memory.
        if (!hold(chunk.buffer.byteLength + CHUNK_OVERHEAD)) return busy();
        chunks.push(chunk);
      } else {
        copyIntoBlocks(chunk);
      }
      if (!failed) size += chunk.length;
    });
    // Filled to the end before a chunk is kept (or written) as it is again: a sender alternating
    // large and tiny chunks cannot leave blocks nearly empty.
    const copyIntoBlocks = (chunk: Buffer) => {
      let from = 0;
      while (from < chunk.length) {
        if (!block) {
          if (!hold(BLOCK + CHUNK_OVERHEAD)) return busy();
          block = Buffer.allocUnsafeSlow(BLOCK);
        }
        const n = chunk.copy(block, blockUsed, from);
        blockUsed += n;
        from += n;
        if (blockUsed === block.length) closeBlock();
      }
    };
    const busy = () => {
      file.stream.resume();
      refuseEarly(req, new ServiceBusyError());
      fail(new ServiceBusyError());
    };
    file.stream.on('error', (err) => {
      if (!failed) fail(err);
    });
    file.stream.on('end', () => {
      if (failed) return;
      closeBlock();
      block = null;
      // Give back what was reserved for more than came.
      const unused = reserved - held;
      if (unused > 0 && !request.released) {
        this.budget.release(unused);
        request.bytes -= unused;
      }
      cb(null, { chunks, ram: ram ?? null, size });
    });
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    const held = file as Partial<HeldFile>;
    if (held.chunks) held.chunks.length = 0;
    if (held.ram) closeRamFile(held.ram);
    cb(null);
  }
}

/** Chunks at least this large are kept as they came; smaller ones are copied into blocks. */
const KEPT_CHUNK = 16 * 1024;
/** The block small chunks are copied into. */
const BLOCK = 64 * 1024;
/** What a Buffer object costs besides its bytes, counted for every chunk and block held. */
const CHUNK_OVERHEAD = 256;

/** What the first byte of a file reserves: the rest of the body, at most the file limit. */
function firstReservation(req: Request, alreadyHeld: number, maxBytes: number): number {
  const left = Number(req.headers['content-length']) - alreadyHeld;
  return left > 0 ? Math.min(left, maxBytes) : Math.min(FIRST_RESERVATION, maxBytes);
}
/** Reserved at once for a file whose size the request does not tell. */
const FIRST_RESERVATION = 1024 * 1024;

const EARLY = Symbol('refuseUploadEarly');
type EarlyRefusal = (err: unknown) => void;

/**
 * multer reads a refused request's body to its end before it reports the error, so a client
 * sending gigabytes would be read to the last byte. A file over the limit, or a spent memory
 * budget, is answered at once through this instead, and the connection closed.
 */
function refuseEarly(req: Request, err: unknown): void {
  (req as Request & { [EARLY]?: EarlyRefusal })[EARLY]?.(err);
}

const HELD = Symbol('heldUploadBytes');
interface Held {
  /** What the request has drawn from the budget. */
  bytes: number;
  /** Given back: nothing more may be drawn. */
  released: boolean;
  /** The response is over (answered, or the client went away). */
  closed: boolean;
  /** The files are still being processed (see whileUploadHeld). */
  working: boolean;
  /** The request's uploads in RAM files, let go (emptied, see closeRamFile) when it is done with them. */
  ramFiles: RamFile[];
  release?: () => void;
}
function heldBytes(req: Request): Held {
  const r = req as Request & { [HELD]?: Held };
  return (r[HELD] ??= { bytes: 0, released: false, closed: false, working: false, ramFiles: [] });
}

/**
 * Runs the processing of a request's files, keeping what they hold drawn from the budget
 * until it is done, even when the client goes away before: the files are in memory until
 * then, and the next uploads must not be let in on memory that is still taken.
 */
export async function whileUploadHeld<T>(req: Request, work: () => Promise<T>): Promise<T> {
  const held = heldBytes(req);
  held.working = true;
  try {
    return await work();
  } finally {
    held.working = false;
    // The files are processed: their RAM copies are emptied now, before the answer is sent.
    for (const f of held.ramFiles) closeRamFile(f);
    if (held.closed) held.release?.();
  }
}

const LIMIT_MESSAGES: Partial<Record<MulterError['code'], [number, string, string]>> = {
  LIMIT_FILE_SIZE: [413, 'FILE_TOO_LARGE', 'A file is larger than the limit.'],
  LIMIT_FILE_COUNT: [413, 'TOO_MANY_FILES', 'Too many files in one upload.'],
  LIMIT_PART_COUNT: [413, 'TOO_MANY_PARTS', 'The upload has too many parts.'],
  LIMIT_FIELD_COUNT: [413, 'TOO_MANY_PARTS', 'The upload has too many fields.'],
  LIMIT_FIELD_VALUE: [413, 'FIELD_TOO_LARGE', 'A form field is too large.'],
  LIMIT_FIELD_KEY: [413, 'FIELD_TOO_LARGE', 'A form field name is too long.'],
  LIMIT_UNEXPECTED_FILE: [400, 'UNEXPECTED_FIELD', 'Send the photos in the form field "photos".'],
};

export interface UploadOptions {
  maxBytes: number;
  maxFiles: number;
  /** Seconds a body may take before the minimum rate applies. */
  graceSeconds: number;
  /** Average bytes a second the body must arrive at after the grace period. */
  minBytesPerSecond: number;
  queue: WorkQueue;
  budget: ByteBudget;
}

/**
 * Parses `multipart/form-data` with the photos in the field "photos", within the configured
 * limits. Refuses at once, before reading the body, when image processing is already full.
 * The memory held for the files goes back to the budget when the response is finished.
 */
export function photoUpload(options: UploadOptions): RequestHandler {
  const parser = multer({
    storage: new BudgetedMemoryStorage(options.budget, options.maxBytes),
    // Browsers send the file name as UTF-8; an RFC 5987 filename* says its own charset.
    defParamCharset: 'utf8',
    limits: { fileSize: options.maxBytes, files: options.maxFiles, fields: 10, fieldSize: 1024, parts: options.maxFiles + 10, headerPairs: 100 },
  }).array('photos', options.maxFiles);

  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next(new AppError('NOT_MULTIPART', 415, 'Send the photos as multipart/form-data in the field "photos".'));
    // multer cannot undo a Content-Encoding; reading the bytes as if there were none would store something else.
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return next(new AppError('UNSUPPORTED_ENCODING', 415, 'Send the upload without a Content-Encoding.'));
    if (!options.queue.hasRoom(1)) return next(new ServiceBusyError());
    const held = heldBytes(req);
    held.release = () => {
      for (const f of held.ramFiles) closeRamFile(f);
      if (held.released) return;
      held.released = true;
      options.budget.release(held.bytes);
    };
    res.on('close', () => {
      held.closed = true;
      if (!held.working) held.release?.();
    });
    let answered = false;
    const stopWatch = watchArrival(req, options, () => finish(new AppError('UPLOAD_TOO_SLOW', 408, 'The upload arrived too slowly and was stopped. Check the connection and try again.')));
    res.on('close', stopWatch);
    const finish = (err?: unknown) => {
      if (answered) return;
      answered = true;
      stopWatch();
      if (!err) return next();
      // The rest of the body is not wanted: close the connection instead of reading it.
      res.setHeader('Connection', 'close');
      req.unpipe();
      if (err instanceof MulterError) {
        const [status, code, message] = LIMIT_MESSAGES[err.code] ?? [400, 'BAD_UPLOAD', 'The upload could not be read.'];
        return next(new AppError(code, status, message));
      }
      if (err instanceof AppError) return next(err);
      return next(new AppError('BAD_UPLOAD', 400, 'The upload could not be read.'));
    };
    (req as Request & { [EARLY]?: EarlyRefusal })[EARLY] = finish;
    parser(req, res, finish);
  };
}

/**
 * Calls `tooSlow` when the body has not arrived at the minimum average rate after the grace
 * period (Apache's mod_reqtimeout rule: each byte buys time). A sender trickling a few bytes a
 * second would otherwise hold its share of the upload memory until the socket times out.
 * Returns the function that stops watching.
 */
function watchArrival(req: Request, o: { graceSeconds: number; minBytesPerSecond: number }, tooSlow: () => void): () => void {
  const started = Date.now();
  // The socket's count, not a 'data' listener: a listener added before multer pipes the
  // request would start the flow early and lose the first bytes.
  const socket = req.socket;
  const bytesAtStart = socket.bytesRead;
  let timer: NodeJS.Timeout | null = null;
  const check = () => {
    const allowedMs = (o.graceSeconds + (socket.bytesRead - bytesAtStart) / o.minBytesPerSecond) * 1000;
    const leftMs = allowedMs - (Date.now() - started);
    if (leftMs <= 0) {
      timer = null;
      tooSlow();
      return;
    }
    timer = setTimeout(check, Math.max(leftMs, 250));
  };
  timer = setTimeout(check, o.graceSeconds * 1000);
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}

/** A file name safe to echo back: no path, no control characters, not too long. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (clean || 'file').slice(0, 200);
}
