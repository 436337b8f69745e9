/**
 * Helpers for the photo tests: uploading through the API, counting what was stored, and
 * checking a derivative for any trace of metadata independently of how the pipeline made it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import exifr from 'exifr';
import type { Express } from 'express';
import { expect } from 'vitest';
import type { AppContext } from '../../server/context.js';
import { inspectJpeg } from '../../server/domain/jpeg-structure.js';
import type { Agent } from './family.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface UploadFile {
  name: string;
  bytes: Buffer;
  /** What the client claims; the server must ignore it. Defaults to image/jpeg whatever the file is. */
  contentType?: string;
}

export interface UploadedPhoto {
  id: string;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
  capturedAt: string | null;
  urls: { display: string; thumb: string };
}

export interface UploadResult {
  status: number;
  photos: UploadedPhoto[];
  errors: { file: string; code: string; status: number; message: string }[];
  body: Record<string, unknown>;
}

/** POST /api/photos?groupId=… with the files in the multipart field "photos". */
export async function upload(agent: Agent, groupId: string, files: UploadFile[]): Promise<UploadResult> {
  let req = agent.post(`/api/photos?groupId=${encodeURIComponent(groupId)}`);
  for (const f of files) req = req.attach('photos', f.bytes, { filename: f.name, contentType: f.contentType ?? 'image/jpeg' });
  const res = await req;
  return { status: res.status, photos: res.body.photos ?? [], errors: res.body.errors ?? [], body: res.body };
}

/** Every file under the blob folder (relative paths), temporary files included. */
export function blobFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'blobs');
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => statSync(path.join(root, f)).isFile()).sort();
}

export async function photoRowCount(ctx: AppContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('photos')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The display and thumbnail derivatives exactly as an authorised client receives them. */
export async function fetchDerivatives(agent: Agent, photo: UploadedPhoto): Promise<{ display: Buffer; thumb: Buffer }> {
  const get = async (url: string) => {
    const res = await agent.get(url).buffer(true).parse(binaryParser as unknown as Parameters<ReturnType<Agent['get']>['parse']>[0]);
    expect(res.status, `GET ${url}`).toBe(200);
    return res.body as Buffer;
  };
  return { display: await get(photo.urls.display), thumb: await get(photo.urls.thumb) };
}

/** supertest parser that keeps the body as bytes whatever the content type. */
function binaryParser(res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** Signatures of the containers metadata travels in. */
export const METADATA_SIGNATURES = [
  'Exif\0\0',
  'http://ns.adobe.com/xap',
  'adobe:ns:meta',
  'Photoshop 3.0',
  '8BIM',
  'ICC_PROFILE',
  'JFIF',
  'JFXX',
  'MPF\0',
  'XML:com.adobe.xmp',
  'GPS',
  'Exif',
];

/** The bytes of a JPEG that are not entropy-coded data: the headers up to the first scan. */
function headerBytes(jpeg: Buffer): Buffer {
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1]!;
    const length = jpeg.readUInt16BE(i + 2);
    if (marker === 0xda) return jpeg.subarray(0, i + 2 + length);
    i += 2 + length;
  }
  return jpeg;
}

/**
 * Every trace of metadata found in a derivative, as sentences (empty when it is clean):
 * its JPEG structure (no APPn, no COM, nothing after EOI), what exifr can read (every block
 * on, and the embedded thumbnail), and the forbidden strings. Strings of six characters or
 * more are looked for in the whole file; shorter ones only in its headers, since three
 * random bytes of compressed image data spell "GPS" about once in 16 MB.
 */
export async function metadataProblems(jpeg: Buffer, forbidden: readonly string[] = []): Promise<string[]> {
  const problems: string[] = [];
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) problems.push('does not start with a JPEG start-of-image marker');
  if (jpeg[jpeg.length - 2] !== 0xff || jpeg[jpeg.length - 1] !== 0xd9) problems.push('does not end with the end-of-image marker (a trailer follows)');
  const structure = inspectJpeg(jpeg);
  if (!structure.valid) problems.push('is not a well-formed JPEG');
  if (structure.metadataSegments.length > 0) problems.push(`has metadata segments ${structure.metadataSegments.join(', ')}`);
  if (structure.trailingBytes > 0) problems.push(`has ${structure.trailingBytes} bytes after EOI`);
  const found = await exifr.parse(jpeg, { tiff: true, ifd1: true, exif: true, gps: true, interop: true, xmp: true, icc: true, iptc: true, jfif: true, ihdr: true, makerNote: true, userComment: true, mergeOutput: false });
  if (found && Object.keys(found).length > 0) problems.push(`exifr reads ${JSON.stringify(found).slice(0, 300)}`);
  const thumbnail = await exifr.thumbnail(jpeg);
  if (thumbnail !== undefined) problems.push('exifr finds an embedded thumbnail');
  const headers = headerBytes(jpeg);
  for (const s of [...METADATA_SIGNATURES, ...forbidden]) {
    const where = s.length >= 6 ? jpeg : headers;
    if (where.includes(Buffer.from(s, 'latin1')) || (s.length >= 6 && where.includes(Buffer.from(s, 'utf16le')))) problems.push(`contains ${JSON.stringify(s)}`);
  }
  return problems;
}

/** Text values (four characters or more) exifr reads from an original: what must not survive. */
export async function textsIn(original: Buffer): Promise<string[]> {
  const parsed = await exifr
    .parse(original, { tiff: true, ifd1: true, exif: true, gps: true, interop: true, xmp: true, icc: true, iptc: true, jfif: true, ihdr: true, makerNote: true, userComment: true, mergeOutput: false, translateValues: false, reviveValues: false })
    .catch(() => undefined);
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      const t = v.replace(/\0+$/, '').trim();
      // Printable text only: binary blobs decoded as strings say nothing.
      if (t.length >= 4 && /^[\x20-\x7e\u00a0-\u00ff]+$/.test(t)) out.add(t);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !(v instanceof Uint8Array)) Object.values(v).forEach(walk);
  };
  walk(parsed);
  return [...out];
}

export const SHARED_IMAGES = path.resolve(ROOT, '../shared/fixtures/images');

/**
 * The files of a folder of `../shared/fixtures/images`, or null (the caller skips, saying so)
 * when it is absent. CI always has it: there a missing folder fails the run instead.
 */
export function sharedFixtures(folder: 'metadata' | 'orientation' | 'not-images'): { name: string; bytes: Buffer }[] | null {
  const dir = path.join(SHARED_IMAGES, folder);
  if (!existsSync(dir)) {
    if (process.env.CI) throw new Error(`CI is set but ${dir} is missing: the shared test images must be there.`);
    console.warn(`Skipping the tests over ${dir}: the folder is missing (CI has it).`);
    return null;
  }
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(path.join(dir, name)) }));
}

/** The agent type of a signed-in caller, re-exported for test files. */
export type { Agent };
export type App = Express;
