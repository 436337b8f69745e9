import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Photo } from '../../types/api';
import { uploadPhoto } from './photos.api';

/** Files sent at the same time: enough to keep the line busy, few enough that each makes progress. */
const PARALLEL = 2;

export type UploadStatus = 'waiting' | 'sending' | 'processing' | 'saved' | 'refused';

export type UploadItem = {
  key: number;
  file: File;
  groupId: string;
  status: UploadStatus;
  /** 0–1, the part of the file sent so far. */
  progress: number;
  photo: Photo | null;
  code: string | null;
};

type Action =
  | { type: 'add'; files: File[]; groupId: string }
  | { type: 'sending'; key: number }
  | { type: 'progress'; key: number; fraction: number }
  | { type: 'saved'; key: number; photo: Photo }
  | { type: 'refused'; key: number; code: string }
  | { type: 'retry'; key: number }
  | { type: 'clear' };

let nextKey = 1;

function reducer(items: UploadItem[], action: Action): UploadItem[] {
  const update = (key: number, change: Partial<UploadItem>) => items.map((item) => (item.key === key ? { ...item, ...change } : item));
  switch (action.type) {
    case 'add':
      return [
        ...items,
        ...action.files.map((file) => ({ key: nextKey++, file, groupId: action.groupId, status: 'waiting' as const, progress: 0, photo: null, code: null })),
      ];
    case 'sending':
      return update(action.key, { status: 'sending', progress: 0, code: null });
    case 'progress':
      // Everything sent: the server is now cleaning and resizing the photo.
      return update(action.key, action.fraction >= 1 ? { status: 'processing', progress: 1 } : { progress: action.fraction });
    case 'saved':
      return update(action.key, { status: 'saved', progress: 1, photo: action.photo });
    case 'refused':
      return update(action.key, { status: 'refused', code: action.code });
    case 'retry':
      return update(action.key, { status: 'waiting', progress: 0, code: null });
    case 'clear':
      return items.filter((item) => item.status !== 'saved' && item.status !== 'refused');
  }
}

export const isActive = (item: UploadItem) => item.status === 'waiting' || item.status === 'sending' || item.status === 'processing';

/**
 * The files being uploaded, one request per file, a few at a time. A file's state changes
 * only when the server has answered for it; leaving the page cancels what is still on its way.
 */
export function useUploadQueue() {
  const [items, dispatch] = useReducer(reducer, []);
  const started = useRef(new Set<number>());
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    const current = new AbortController();
    controller.current = current;
    return () => current.abort();
  }, []);

  useEffect(() => {
    const running = items.filter((item) => item.status === 'sending' || item.status === 'processing').length;
    const next = items.filter((item) => item.status === 'waiting' && !started.current.has(item.key)).slice(0, Math.max(0, PARALLEL - running));
    for (const item of next) {
      started.current.add(item.key);
      dispatch({ type: 'sending', key: item.key });
      uploadPhoto(item.groupId, item.file, (fraction) => dispatch({ type: 'progress', key: item.key, fraction }), controller.current?.signal)
        .then((outcome) => {
          dispatch(outcome.ok ? { type: 'saved', key: item.key, photo: outcome.photo } : { type: 'refused', key: item.key, code: outcome.code });
        })
        .catch(() => undefined); // cancelled: the page is gone
    }
  }, [items]);

  const add = useCallback((files: File[], groupId: string) => {
    if (files.length > 0) dispatch({ type: 'add', files, groupId });
  }, []);
  const retry = useCallback((key: number) => {
    started.current.delete(key);
    dispatch({ type: 'retry', key });
  }, []);
  const clear = useCallback(() => dispatch({ type: 'clear' }), []);

  return { items, add, retry, clear };
}
