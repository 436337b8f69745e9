// Photos and publications for the browser tests: real JPEGs made with sharp, a PDF in disguise,
// and the API calls that set the scene a test is not about (as the signed-in browser context).
import type { APIRequestContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';

/** A photographic-looking JPEG (a gradient, not flat colour); with a capture time in its EXIF if asked. */
export async function makeJpeg(options: { width?: number; height?: number; hue?: number; capturedAt?: string } = {}): Promise<Buffer> {
  const width = options.width ?? 1200;
  const height = options.height ?? 900;
  const hue = options.hue ?? 120;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (hue + x / 5) % 256;
      pixels[i + 1] = (y / 4 + 40) % 256;
      pixels[i + 2] = ((x + y) / 8 + hue / 2) % 256;
    }
  }
  let image = sharp(pixels, { raw: { width, height, channels: 3 } });
  // EXIF writes the capture time as "YYYY:MM:DD HH:MM:SS", the camera's own clock.
  if (options.capturedAt) image = image.withExif({ IFD2: { DateTimeOriginal: options.capturedAt } });
  return image.jpeg({ quality: 85 }).toBuffer();
}

/** A small but well-formed PDF: what a "photo.jpg" from a scanner app sometimes really is. */
export function makePdf(): Buffer {
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n');
  return Buffer.from(`${body}\n`, 'latin1');
}

type Named = { id: string; name: string };

/**
 * A signed-in browser context's API, for setting the scene. Writes carry the app's Origin, as
 * the browser's own requests do (the server refuses cookie-signed writes from elsewhere).
 */
export type Api = { request: APIRequestContext; origin: string };

const write = (api: Api) => ({ headers: { Origin: api.origin } });
type Child = { id: string; firstName: string; lastName: string };

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  expect(response.status(), `${what}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** Ids the tests need, looked up through the API by the names people see. */
export async function directory({ request }: Api) {
  const { units } = await json<{ units: Named[] }>(await request.get('/api/units'), 'units');
  const unit = units.find((u) => u.name === 'Solsikken barnehage')!;
  const { groups } = await json<{ groups: Named[] }>(await request.get(`/api/units/${unit.id}/groups`), 'groups');
  const { channels } = await json<{ channels: (Named & { slug: string })[] }>(await request.get('/api/channels'), 'channels');
  const { purposes } = await json<{ purposes: { id: string; code: string }[] }>(await request.get('/api/purposes'), 'purposes');
  return {
    unit,
    group: (name: string) => groups.find((g) => g.name === name)!,
    channel: (slug: string) => channels.find((c) => c.slug === slug)!,
    purpose: (code: string) => purposes.find((p) => p.code === code)!,
    async child(groupName: string, fullName: string): Promise<Child> {
      const group = groups.find((g) => g.name === groupName)!;
      const { people } = await json<{ people: Child[] }>(await request.get(`/api/people?groupId=${group.id}&kind=child`), 'people');
      const child = people.find((p) => `${p.firstName} ${p.lastName}` === fullName);
      expect(child, `${fullName} in ${groupName}`).toBeDefined();
      return child!;
    },
  };
}

/** Uploads one photo through the API and returns its id. */
export async function uploadPhoto(api: Api, groupId: string, bytes: Buffer, name = 'bilde.jpg'): Promise<string> {
  const response = await api.request.post(`/api/photos?groupId=${groupId}`, { ...write(api), multipart: { photos: { name, mimeType: 'image/jpeg', buffer: bytes } } });
  const body = await json<{ photos: { id: string }[] }>(response, 'upload');
  return body.photos[0]!.id;
}

export async function tagPhoto(api: Api, photoId: string, tags: { personId: string; recognisable: boolean }[]): Promise<void> {
  await json(await api.request.put(`/api/photos/${photoId}/tags`, { ...write(api), data: tags }), 'tags');
}

export async function requestPublication(
  api: Api,
  input: { photoId: string; channelId: string; caption: string; altText: string; title?: string },
): Promise<{ id: string; status: string }> {
  const body = await json<{ publication: { id: string; status: string } }>(await api.request.post('/api/publications', { ...write(api), data: input }), 'publication');
  return body.publication;
}

/** Any other write: POST with a JSON body, checked for success. */
export async function post<T>(api: Api, url: string, data?: unknown): Promise<T> {
  return json<T>(await api.request.post(url, { ...write(api), ...(data === undefined ? {} : { data }) }), `POST ${url}`);
}

/**
 * The status line of an element, polled until it says what is expected. A part of a page can have
 * more than one live region (a draft note, a result); the one with something to say is meant.
 */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  const speaking = locator.filter({ hasText: /\S/ }).first();
  await expect.poll(() => speaking.innerText(), { timeout: 15_000 }).toMatch(typeof expected === 'string' ? new RegExp(escape(expected)) : expected);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The path of the page in the address bar. */
export const pathOf = (page: Page) => new URL(page.url()).pathname;
