import { randomBytes } from 'node:crypto';
import { existsSync, fstatSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendToRamFile, closeKeptRamFiles, closeRamFile, createRamFile, ImageRefusal, ramFileStats, readingRamFile, type RamFile, renderDerivatives, withUnnamedCopy } from '../../server/adapters/image.js';
import { PhotoRefused, processUpload } from '../../server/modules/photos/pipeline.js';
import { openRamFiles, ramFilesHoldingData } from '../../scripts/lib/ram-files.js';
import { photographicJpeg } from '../support/images.js';

const onLinux = existsSync('/dev/shm') && existsSync('/proc/self/fd');
/** Upload bytes with no zero in them, so that a zero read back can only be one written over them. */
const uploadBytes = (n: number) => Buffer.from(randomBytes(n).map((b) => b | 1));
const contentOf = (fd: number) => readFileSync(`/proc/self/fd/${fd}`);
const newFile = (bytes: Buffer): RamFile => {
  const file = createRamFile(bytes.length);
  expect(file, 'a RAM file').not.toBeNull();
  expect(appendToRamFile(file!, bytes.subarray(0, 1000))).toBe(true);
  expect(appendToRamFile(file!, bytes.subarray(1000))).toBe(true);
  return file!;
};

beforeAll(async () => {
  // The first use asks whether libvips reads such files here; createRamFile waits for the answer.
  if (onLinux) await withUnnamedCopy([await photographicJpeg(64, 48, 1)], async (file) => expect(file).not.toBeNull());
});
afterEach(() => {
  vi.useRealTimers();
  closeKeptRamFiles();
  // Every file of the test was let go: nothing is counted any more, nothing is left open.
  expect(ramFileStats()).toEqual({ open: 0, bytes: 0, kept: 0 });
  expect(openRamFiles()).toEqual([]);
});

describe.runIf(onLinux)('the unnamed RAM files uploads are written into', () => {

  it('a file let go is overwritten with zeros and kept, and the next upload is written into it and read to its own end only', async () => {
    const first = uploadBytes(300_000);
    const a = newFile(first);
    expect(contentOf(a.fd).equals(first)).toBe(true);
    closeRamFile(a);
    // Still open, holding as many bytes as before, every one of them zero.
    const kept = contentOf(a.fd);
    expect(kept.length).toBe(first.length);
    expect(kept.every((b) => b === 0)).toBe(true);
    expect(openRamFiles()).toHaveLength(1);

    const second = uploadBytes(120_000);
    const b = newFile(second);
    expect(b.fd, 'the kept file is used again').toBe(a.fd);
    // libvips reads the second upload and nothing after it: not the zeros left from the first.
    const read = await readingRamFile(b, async (path) => readFileSync(path));
    expect(read.equals(second)).toBe(true);
    closeRamFile(b);
    expect(contentOf(b.fd).every((x) => x === 0)).toBe(true);

    closeKeptRamFiles();
    expect(openRamFiles()).toEqual([]);
    expect(() => fstatSync(a.fd)).toThrow();
  });

  it('a file let go while libvips may still read it is left as it is until the reading is over, and only then emptied', async () => {
    const bytes = uploadBytes(50_000);
    const file = newFile(bytes);
    await readingRamFile(file, async (path) => {
      closeRamFile(file);
      // libvips opens the file by its descriptor's number for each step: that number stays
      // this file's, and the file this upload's.
      const other = newFile(uploadBytes(1000));
      expect(other.fd).not.toBe(file.fd);
      closeRamFile(other);
      expect(readFileSync(path).equals(bytes)).toBe(true);
    });
    expect(ramFilesHoldingData()).toEqual([]);
    expect(ramFileStats().open).toBe(0);
  });

  it('with two reads under way, a file let go is emptied only when the last of them is over', async () => {
    const bytes = uploadBytes(30_000);
    const file = newFile(bytes);
    let innerDone!: () => void;
    const inner = new Promise<void>((r) => (innerDone = r));
    const outer = readingRamFile(file, async (path) => {
      await inner;
      expect(readFileSync(path).equals(bytes), 'still this upload after the first read ended').toBe(true);
    });
    await readingRamFile(file, async () => closeRamFile(file));
    innerDone();
    await outer;
    expect(ramFilesHoldingData()).toEqual([]);
    expect(ramFileStats()).toMatchObject({ open: 0, kept: 1 });
  });

  it('an upload held as chunks is copied into RAM only once it has its processing slot', async () => {
    const jpeg = await photographicJpeg(640, 480, 9);
    let openWhenSlotBegan: unknown[] | undefined;
    const photo = await processUpload([jpeg.subarray(0, 1000), jpeg.subarray(1000)], {
      maxPixels: 50_000_000,
      slot: async (work) => {
        openWhenSlotBegan = openRamFiles();
        return work();
      },
    });
    expect(openWhenSlotBegan).toEqual([]);
    expect(photo.display.width).toBe(640);
  });

  it('keeps at most four files, and closes the kept ones after ten seconds unused', () => {
    const files = Array.from({ length: 6 }, () => newFile(uploadBytes(20_000)));
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    for (const f of files) closeRamFile(f);
    expect(openRamFiles()).toHaveLength(4);
    expect(openRamFiles().every((f) => contentOf(Number(f.path.split('/').pop())).every((b) => b === 0))).toBe(true);
    vi.advanceTimersByTime(9_000);
    expect(openRamFiles()).toHaveLength(4);
    vi.advanceTimersByTime(1_000);
    expect(openRamFiles()).toEqual([]);
  });

  it('a file let go can no longer be read or written', async () => {
    const file = newFile(uploadBytes(4000));
    closeRamFile(file);
    await expect(readingRamFile(file, async () => 'read')).rejects.toThrow(/closed/);
    expect(appendToRamFile(file, Buffer.from('more'))).toBe(false);
  });
});

describe('the pixel limit, wherever the size comes from', () => {
  const MAX = 1_000_000;
  let big: Buffer;
  beforeAll(async () => {
    big = await photographicJpeg(3000, 2000, 5);
  });

  it.runIf(onLinux)('a JPEG decoded at a fraction of its size is still held to the limit when the size it was given is made up', async () => {
    // As if a header had claimed 12800×78 (a million pixels, an eighth of them decoded): the
    // 3000×2000 photo is refused by libvips itself, decoded at 1/8 against a limit scaled with it.
    const refused = await withUnnamedCopy([big], async (file) =>
      renderDerivatives({ file: file! }, 'jpeg', { source: { width: 12800, height: 78 }, maxPixels: MAX, displayEdge: 1600, thumbEdge: 320, quality: 80 }).catch((err: unknown) => err),
    );
    expect(refused).toBeInstanceOf(ImageRefusal);
    expect((refused as ImageRefusal).code).toBe('TOO_MANY_PIXELS');
    // Given its true size, within a limit it fits, the same file is decoded.
    const fits = await withUnnamedCopy([big], async (file) =>
      renderDerivatives({ file: file! }, 'jpeg', { source: { width: 3000, height: 2000 }, maxPixels: 6_000_000, displayEdge: 1600, thumbEdge: 320, quality: 80 }),
    );
    expect([fits.display.width, fits.display.height]).toEqual([1600, 1067]);
  });

  it('a JPEG whose frame header lies beyond its first 64 kB is refused for too many pixels all the same, as a RAM file and as bytes', async () => {
    // Three 60 kB APP segments (as big Exif or maker data can be) before the frame header.
    const app = (n: number) => Buffer.concat([Buffer.from([0xff, 0xe4 + n, 0xea, 0x62]), Buffer.alloc(0xea60, 0x41)]);
    const padded = Buffer.concat([big.subarray(0, 2), app(0), app(1), app(2), big.subarray(2)]);
    expect(padded.indexOf(Buffer.from([0xff, 0xc0]))).toBeGreaterThan(64 * 1024);
    const asBytes = await processUpload(padded, { maxPixels: MAX }).catch((err: unknown) => err);
    expect(asBytes).toBeInstanceOf(PhotoRefused);
    expect((asBytes as PhotoRefused).code).toBe('TOO_MANY_PIXELS');
    if (onLinux) {
      const file = createRamFile(padded.length)!;
      expect(appendToRamFile(file, padded)).toBe(true);
      const asFile = await processUpload(file, { maxPixels: MAX }).catch((err: unknown) => err);
      closeRamFile(file);
      closeKeptRamFiles();
      expect((asFile as PhotoRefused).code).toBe('TOO_MANY_PIXELS');
      // Within the limit, the same file goes through.
      expect((await processUpload(padded, { maxPixels: 6_000_000 })).display.width).toBe(1600);
    }
  });
});
