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
