import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../lib/random.js';

/**
 * Realistic test photos for the benchmark: 12 megapixels (4000×3000) of photographic-looking
 * content (a sky-to-ground gradient, smooth multi-scale noise, soft shapes and fine sensor
 * grain) encoded as JPEG quality 90 — 3–6 MB each, like a phone camera's — with EXIF, a
 * capture time and GPS planted, so that every contender has real metadata to strip.
 * Images are deterministic (seeded) and cached in the temp folder between runs.
 */

export const WIDTH = 4000;
export const HEIGHT = 3000;
/** Planted in the EXIF of every generated image; must never appear in a derivative. */
export const PLANTED_MARKER = 'SAMTYKKE-BENCH-PLANTED';
const VERSION = 'v1';
// Amplitudes (0–255) of the texture and of the per-channel grain; they set the file size.
const GRAIN = 30;
const CHROMA_GRAIN = 6;

/** A grid of random colours scaled up smoothly to the low-resolution field: one octave of value noise. */
async function octave(random: () => number, cols: number, rows: number): Promise<Buffer> {
  const grid = Buffer.alloc(cols * rows * 3);
  for (let i = 0; i < grid.length; i++) grid[i] = Math.floor(random() * 256);
  return sharp(grid, { raw: { width: cols, height: rows, channels: 3 } })
    .resize(FIELD_W, FIELD_H, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
}

// The smooth part of the picture is computed at a quarter of the size and scaled up once.
const FIELD_W = WIDTH / 4;
const FIELD_H = HEIGHT / 4;

function shapesSvg(random: () => number): Buffer {
  const parts: string[] = [];
  const colour = () => `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
  for (let i = 0; i < 40; i++) {
    const x = Math.floor(random() * WIDTH);
    const y = Math.floor(random() * HEIGHT);
    const s = 40 + Math.floor(random() * 700);
    const opacity = (0.2 + random() * 0.5).toFixed(2);
    const kind = random();
    if (kind < 0.4) parts.push(`<ellipse cx="${x}" cy="${y}" rx="${s}" ry="${Math.floor(s * (0.4 + random()))}" fill="${colour()}" fill-opacity="${opacity}"/>`);
    else if (kind < 0.7)
      parts.push(
        `<rect x="${x}" y="${y}" width="${s}" height="${Math.floor(s * (0.3 + random() * 1.5))}" rx="${Math.floor(s / 8)}" fill="${colour()}" fill-opacity="${opacity}" transform="rotate(${Math.floor(random() * 90 - 45)} ${x} ${y})"/>`,
      );
    else {
      const pts = Array.from({ length: 3 + Math.floor(random() * 4) }, () => `${x + Math.floor((random() - 0.5) * 2 * s)},${y + Math.floor((random() - 0.5) * 2 * s)}`);
      parts.push(`<polygon points="${pts.join(' ')}" fill="${colour()}" fill-opacity="${opacity}" stroke="${colour()}" stroke-width="${4 + Math.floor(random() * 20)}"/>`);
    }
  }
  for (let i = 0; i < 15; i++) {
    parts.push(
      `<path d="M${Math.floor(random() * WIDTH)} ${Math.floor(random() * HEIGHT)} Q ${Math.floor(random() * WIDTH)} ${Math.floor(random() * HEIGHT)} ${Math.floor(random() * WIDTH)} ${Math.floor(random() * HEIGHT)}" stroke="${colour()}" stroke-width="${2 + Math.floor(random() * 12)}" fill="none" stroke-opacity="0.8"/>`,
    );
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">${parts.join('')}</svg>`);
}

/** One photo: deterministic for its index. Every fourth is stored sideways with EXIF orientation 6, as phones do. */
export async function generatePhoto(index: number): Promise<Buffer> {
  const random = seededRandom(0x5a17 + index * 7919);
  // Smooth multi-scale noise over a sky-to-ground gradient, at a quarter of the size.
  const octaves = await Promise.all([octave(random, 4, 3), octave(random, 12, 9), octave(random, 40, 30), octave(random, 125, 94), octave(random, 400, 300)]);
  const weights = [0.4, 0.27, 0.17, 0.1, 0.06];
  const sky = [90 + random() * 80, 130 + random() * 80, 180 + random() * 70];
  const ground = [40 + random() * 80, 60 + random() * 80, 20 + random() * 60];
  const field = Buffer.alloc(FIELD_W * FIELD_H * 3);
  for (let y = 0, p = 0; y < FIELD_H; y++) {
    const t = y / FIELD_H;
    for (let x = 0; x < FIELD_W; x++) {
      for (let c = 0; c < 3; c++, p++) {
        let noise = 0;
        for (let o = 0; o < octaves.length; o++) noise += weights[o]! * octaves[o]![p]!;
        const base = sky[c]! + (ground[c]! - sky[c]!) * t;
        field[p] = 0.5 * base + 0.5 * noise;
      }
    }
  }
  // Full size, with hard-edged shapes on top (objects, horizons, branches).
  const pixels = await sharp(field, { raw: { width: FIELD_W, height: FIELD_H, channels: 3 } })
    .resize(WIDTH, HEIGHT, { fit: 'fill', kernel: 'linear' })
    .composite([{ input: shapesSvg(random) }])
    .removeAlpha()
    .raw()
    .toBuffer();
  // Texture and sensor grain: correlated along the row (like foliage and fabric), stronger
  // towards the ground, plus a little independent noise per channel.
  const grain = seededRandom(index + 1);
  for (let y = 0, p = 0; y < HEIGHT; y++) {
    const amplitude = GRAIN * (0.6 + (0.8 * y) / HEIGHT);
    let texture = 0;
    for (let x = 0; x < WIDTH; x++) {
      texture = 0.55 * texture + (grain() - 0.5) * amplitude;
      for (let c = 0; c < 3; c++, p++) {
        const v = pixels[p]! + texture + (grain() - 0.5) * CHROMA_GRAIN;
        pixels[p] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  const orientation = index % 4 === 3 ? 6 : 1;
  const day = String(1 + (index % 28)).padStart(2, '0');
  return sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .withMetadata({ orientation })
    .withExif({
      IFD0: {
        Make: 'Samtykke Bench Camera',
        Model: 'SB-12MP',
        Software: 'bench-pipeline',
        ImageDescription: `${PLANTED_MARKER} description`,
        Artist: `${PLANTED_MARKER} artist`,
        Copyright: `${PLANTED_MARKER} copyright`,
        DateTime: `2024:05:${day} 10:15:00`,
      },
      IFD2: {
        DateTimeOriginal: `2024:05:${day} 10:15:00`,
        DateTimeDigitized: `2024:05:${day} 10:15:00`,
        OffsetTimeOriginal: '+02:00',
        ImageUniqueID: `${PLANTED_MARKER}-${index}`,
      },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '59/1 54/1 2520/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '10/1 45/1 1234/100',
        GPSAltitudeRef: '0',
        GPSAltitude: '23/1',
      },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The benchmark's photos as files (cached by index in the temp folder), generated one per core. */
export async function ensurePhotos(count: number, dir = path.join(tmpdir(), `samtykke-bench-photos-${VERSION}`), onProgress?: (done: number) => void): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `photo-${String(i).padStart(3, '0')}.jpg`));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const file = files[i]!;
      if (!existsSync(file)) {
        const bytes = await generatePhoto(i);
        writeFileSync(`${file}.tmp`, bytes);
        renameSync(`${file}.tmp`, file);
      }
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: availableParallelism() }, worker));
  return files;
}

export function readPhotos(files: string[]): Buffer[] {
  return files.map((f) => readFileSync(f));
}
