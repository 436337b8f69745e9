import { api } from '../../lib/api';
import type { Channel, Group, GuidelineAcknowledgements, Guidelines, Lang, Photo, PhotoWithTags, Publication, Unit, UploadErrorCode, UploadResponse } from '../../types/api';

const id = encodeURIComponent;

export async function fetchUnits(signal?: AbortSignal): Promise<Unit[]> {
  return (await api<{ units: Unit[] }>('/api/units', { signal })).units;
}

export async function fetchGroups(unitId: string, signal?: AbortSignal): Promise<Group[]> {
  return (await api<{ groups: Group[] }>(`/api/units/${id(unitId)}/groups`, { signal })).groups;
}

/** Every group the signed-in person may upload to or browse, with its unit's name. */
export async function fetchMyGroups(signal?: AbortSignal): Promise<(Group & { unitName: string })[]> {
  const units = await fetchUnits(signal);
  const lists = await Promise.all(units.map(async (unit) => (await fetchGroups(unit.id, signal)).map((group) => ({ ...group, unitName: unit.name }))));
  return lists.flat();
}

export async function fetchPhotos(groupId: string, options: { before?: string; limit?: number; signal?: AbortSignal } = {}): Promise<Photo[]> {
  const query = new URLSearchParams({ groupId, limit: String(options.limit ?? 24) });
  if (options.before) query.set('before', options.before);
  return (await api<{ photos: Photo[] }>(`/api/photos?${query.toString()}`, { signal: options.signal })).photos;
}

export async function fetchPhoto(photoId: string, signal?: AbortSignal): Promise<PhotoWithTags> {
  return (await api<{ photo: PhotoWithTags }>(`/api/photos/${id(photoId)}`, { signal })).photo;
}

/** The unit's publications, newest first (the library shows where each photo is published). */
export async function fetchUnitPublications(unitId: string, signal?: AbortSignal): Promise<Publication[]> {
  return (await api<{ publications: Publication[] }>(`/api/publications?unitId=${id(unitId)}&limit=1000`, { signal })).publications;
}

export async function fetchChannels(signal?: AbortSignal): Promise<Channel[]> {
  return (await api<{ channels: Channel[] }>('/api/channels', { signal })).channels;
}

// Guidelines

export async function fetchGuidelines(lang: Lang, signal?: AbortSignal): Promise<Guidelines | null> {
  return (await api<{ guidelines: Guidelines | null }>(`/api/guidelines?lang=${lang}`, { signal })).guidelines;
}

export function acknowledgeGuidelines(version: number): Promise<void> {
  return api<void>('/api/guidelines/acknowledge', { method: 'POST', body: { version } });
}

export function fetchAcknowledgements(unitId: string, signal?: AbortSignal): Promise<GuidelineAcknowledgements> {
  return api<GuidelineAcknowledgements>(`/api/units/${id(unitId)}/guideline-acknowledgements`, { signal });
}

export type GuidelineText = { title: string; body: string };

export async function publishGuidelines(texts: Partial<Record<Lang, GuidelineText>> & { nb: GuidelineText }): Promise<number> {
  return (await api<{ version: number }>('/api/guidelines', { method: 'POST', body: { texts } })).version;
}

// Upload

export type UploadOutcome = { ok: true; photo: Photo } | { ok: false; code: UploadErrorCode | string; retryAfter: number | null };

/**
 * Uploads one file in its own request, so each file has its own progress and its own answer.
 * XMLHttpRequest, not fetch: only it reports upload progress. Resolves with the photo or the
 * reason it was refused; rejects only when aborted.
 */
export function uploadPhoto(groupId: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadOutcome> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/photos?groupId=${id(groupId)}`);
    request.setRequestHeader('Accept', 'application/json');
    request.responseType = 'text';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      const result = body as Partial<UploadResponse> & { error?: { code?: string } };
      const photo = result?.photos?.[0];
      if (request.status >= 200 && request.status < 300 && photo) {
        resolve({ ok: true, photo });
        return;
      }
      const retry = Number(request.getResponseHeader('Retry-After'));
      const code = result?.errors?.[0]?.code ?? result?.error?.code ?? (request.status === 503 ? 'BUSY' : `HTTP_${request.status}`);
      resolve({ ok: false, code, retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null });
    });
    request.addEventListener('error', () => resolve({ ok: false, code: 'NETWORK_ERROR', retryAfter: null }));
    request.addEventListener('abort', () => reject(new DOMException('Upload cancelled', 'AbortError')));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('photos', file, file.name);
    request.send(form);
  });
}
