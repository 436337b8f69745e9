import { ImageRefusal, readCaptureTime, readHeader, renderDerivatives, verifyClean, type Derivative } from '../../adapters/image.js';
import { sniffImage, type AcceptedFormat } from '../../domain/image-format.js';

export const DISPLAY_EDGE = 1600;
export const THUMB_EDGE = 320;
export const JPEG_QUALITY = 80;

export interface Processed {
  format: AcceptedFormat;
  capturedAt: string | null;
  display: Derivative;
  thumb: Derivative;
}

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

/**
 * The whole pipeline for one upload: recognise the format from the bytes, refuse too many
 * pixels from the header before decoding, read the capture time, decode once, make the
 * derivatives, and check each one on its own. The original bytes are never kept.
 */
export async function processUpload(bytes: Buffer, options: { maxPixels: number }): Promise<Processed> {
  const sniffed = sniffImage(bytes);
  if (!sniffed.accepted) throw new PhotoRefused(sniffed.code, sniffed.detected);
  const format = sniffed.format;
  try {
    const header = await readHeader(bytes);
    if (header.width * header.height > options.maxPixels) throw new ImageRefusal('TOO_MANY_PIXELS', 'Too many pixels');
    const capturedAt = await readCaptureTime(bytes);
    const { display, thumb } = await renderDerivatives(bytes, format, {
      maxPixels: options.maxPixels,
      displayEdge: DISPLAY_EDGE,
      thumbEdge: THUMB_EDGE,
      quality: JPEG_QUALITY,
    });
    await verifyClean(display.bytes);
    await verifyClean(thumb.bytes);
    return { format, capturedAt, display, thumb };
  } catch (err) {
    if (err instanceof ImageRefusal) throw new PhotoRefused(err.code, format);
    throw err;
  }
}
