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
    // Entropy-coded data: runs to the next marker that is not a stuffed byte or a restart.
    while (i + 1 < b.length) {
      if (b[i] === 0xff && b[i + 1] !== 0x00 && !(b[i + 1]! >= 0xd0 && b[i + 1]! <= 0xd7)) {
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

const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

/**
 * A JPEG's Exif segment (APP1 "Exif\0\0") among the segments before its image data, as a
 * tiny JPEG of its own (start-of-image marker, the segment, end-of-image marker) that an Exif
 * reader takes whole; null when there is none. Reads the file as the chunks it arrived in, copying only
 * the few bytes of each segment header and the Exif segment itself (at most 64 kB).
 */
export function jpegExifSegment(chunks: readonly Uint8Array[]): Uint8Array | null {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const bytesAt = (start: number, n: number): Uint8Array => {
    const out = new Uint8Array(Math.max(0, Math.min(n, total - start)));
    let offset = 0; // where the current chunk starts in the file
    let written = 0;
    for (const c of chunks) {
      if (written === out.length) break;
      const from = start + written - offset;
      if (from < c.length) {
        const part = c.subarray(Math.max(0, from), Math.max(0, from) + out.length - written);
        out.set(part, written);
        written += part.length;
      }
      offset += c.length;
    }
    return out;
  };
  const soi = bytesAt(0, 2);
  if (soi[0] !== 0xff || soi[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= total) {
    const head = bytesAt(i, 10);
    if (head[0] !== 0xff) return null;
    const marker = head[1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    // The image data (or its end) starts: metadata segments come before it.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = (head[2]! << 8) | head[3]!;
    if (length < 2) return null;
    if (marker === 0xe1 && head.length === 10 && EXIF_ID.every((v, k) => head[4 + k] === v)) {
      const segment = bytesAt(i, 2 + length);
      const jpeg = new Uint8Array(2 + segment.length + 2);
      jpeg.set([0xff, 0xd8]);
      jpeg.set(segment, 2);
      jpeg.set([0xff, 0xd9], 2 + segment.length);
      return jpeg;
    }
    i += 2 + length;
  }
  return null;
}
