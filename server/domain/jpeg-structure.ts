/**
 * Walks a JPEG's marker segments. A clean derivative has only the segments needed to decode
 * it: no APPn (EXIF, XMP, ICC, IPTC, JFIF thumbnails, maker data), no COM, nothing after EOI.
 */
export interface JpegInspection {
  valid: boolean;
  /** Marker names in order, e.g. ['DQT', 'SOF0', 'DHT', 'SOS']. */
  markers: string[];
  /** Segments that may carry metadata. */
  metadataSegments: string[];
  /** Bytes after the end-of-image marker. */
  trailingBytes: number;
}

const NAMES: Record<number, string> = { 0xc4: 'DHT', 0xdb: 'DQT', 0xdd: 'DRI', 0xda: 'SOS', 0xfe: 'COM', 0xcc: 'DAC' };
const nameOf = (m: number) =>
  NAMES[m] ?? (m >= 0xe0 && m <= 0xef ? `APP${m - 0xe0}` : m >= 0xc0 && m <= 0xcf ? `SOF${m - 0xc0}` : `0x${m.toString(16)}`);

export function inspectJpeg(b: Uint8Array): JpegInspection {
  const markers: string[] = [];
  const metadataSegments: string[] = [];
  const invalid = (): JpegInspection => ({ valid: false, markers, metadataSegments, trailingBytes: 0 });
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return invalid();
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return invalid();
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    const name = nameOf(marker);
    markers.push(name);
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) metadataSegments.push(name);
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    if (length < 2) return invalid();
    i += 2 + length;
    if (marker !== 0xda) continue;
    // Entropy-coded data: runs to the next marker that is not a stuffed byte or a restart. Only
    // an 0xFF can start one, so the search jumps from one to the next.
    while (i + 1 < b.length) {
      i = b.indexOf(0xff, i);
      if (i === -1 || i + 1 >= b.length) return invalid();
      if (b[i + 1] !== 0x00 && !(b[i + 1]! >= 0xd0 && b[i + 1]! <= 0xd7)) {
        if (b[i + 1] === 0xd9) {
          markers.push('EOI');
          return { valid: true, markers, metadataSegments, trailingBytes: b.length - (i + 2) };
        }
        break; // another segment (progressive JPEGs have several scans)
      }
      i += 1;
    }
  }
  return invalid();
}

/** The start-of-frame markers that carry the image's size: SOF0–3, 5–7, 9–11 and 13–15 (not DHT, JPG or DAC). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** The segments that may come before the frame header, each with a length: APPn, COM, DQT, DHT, DAC, DRI. */
const isTableOrMisc = (m: number) => (m >= 0xe0 && m <= 0xef) || m === 0xfe || m === 0xdb || m === 0xc4 || m === 0xcc || m === 0xdd;

/**
 * The width and height a JPEG's frame header declares (its first start-of-frame segment, as
 * libjpeg reads it), read from the bytes before its image data; null when the frame header is
 * not within `b` (an Exif thumbnail can push it far in), and null for anything but the plain
 * layout: segments libjpeg reads with a length (APPn, COM, DQT, DHT, DAC, DRI), fill bytes,
 * then the frame header. libjpeg also passes over stray bytes, a stuffed FF00 and markers
 * without a length (RSTn, TEM) there, where a reader counting lengths would go astray and could
 * be led to a made-up size further on; for those, and for a height of 0 (set later by a DNL
 * marker), only libjpeg can tell, so this answers null.
 */
export function jpegFrameSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    const startOfFrame = isStartOfFrame(marker);
    if (!startOfFrame && !isTableOrMisc(marker)) return null;
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    if (length < 2) return null;
    if (startOfFrame) {
      // Length (2), precision (1), height (2), width (2).
      if (length < 8 || i + 9 > b.length) return null;
      const height = (b[i + 5]! << 8) | b[i + 6]!;
      const width = (b[i + 7]! << 8) | b[i + 8]!;
      return width > 0 && height > 0 ? { width, height } : null;
    }
    i += 2 + length;
  }
  return null;
}

const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
/** How far into a file its Exif is looked for: camera segments come first, and are small. */
export const EXIF_SEARCH_BYTES = 1024 * 1024;

/**
 * A JPEG's Exif segment (APP1 "Exif\0\0") among the segments before its image data and within
 * its first `limit` bytes, as a tiny JPEG of its own (start-of-image marker, the segment,
 * end-of-image marker) that an Exif reader takes whole; null when there is none. Reads the
 * file as the chunks it arrived in, moving forward only, and copies nothing but the Exif
 * segment itself (at most 64 kB): a hostile file cannot make it slow.
 */
export function jpegExifSegment(chunks: readonly Uint8Array[], limit = EXIF_SEARCH_BYTES): Uint8Array | null {
  const total = Math.min(
    chunks.reduce((n, c) => n + c.length, 0),
    limit,
  );
  // The chunk holding the byte last asked for, and where it starts in the file.
  let index = 0;
  let start = 0;
  /** The byte at `at`; `at` never goes back by more than the 10 bytes of a segment head. */
  const byteAt = (at: number): number => {
    while (index > 0 && at < start) start -= chunks[--index]!.length;
    while (at >= start + chunks[index]!.length) start += chunks[index++]!.length;
    return chunks[index]![at - start]!;
  };
  if (total < 4 || byteAt(0) !== 0xff || byteAt(1) !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= total) {
    if (byteAt(i) !== 0xff) return null;
    const marker = byteAt(i + 1);
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    // The image data (or its end) starts: metadata segments come before it.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = (byteAt(i + 2) << 8) | byteAt(i + 3);
    if (length < 2) return null;
    if (marker === 0xe1 && i + 2 + length <= total && length >= 8 && EXIF_ID.every((v, k) => byteAt(i + 4 + k) === v)) {
      const jpeg = new Uint8Array(2 + 2 + length + 2);
      jpeg.set([0xff, 0xd8]);
      for (let k = 0; k < 2 + length; k++) jpeg[2 + k] = byteAt(i + k);
      jpeg.set([0xff, 0xd9], 4 + length);
      return jpeg;
    }
    i += 2 + length;
  }
  return null;
}
