import type { Photo } from '../../../db/schema.js';

export interface PhotoDto {
  id: string;
  unitId: string;
  groupId: string;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
  bytes: number;
  capturedAt: string | null;
  uploadedAt: string;
  uploadedBy: string;
  kind: Photo['kind'];
  noPeople: boolean;
  urls: { display: string; thumb: string };
}

export const toPhotoDto = (p: Photo): PhotoDto => ({
  id: p.id,
  unitId: p.unit_id,
  groupId: p.group_id,
  width: p.width,
  height: p.height,
  thumbWidth: p.thumb_width,
  thumbHeight: p.thumb_height,
  bytes: p.display_bytes,
  capturedAt: p.captured_at,
  uploadedAt: p.uploaded_at,
  uploadedBy: p.uploaded_by,
  kind: p.kind,
  noPeople: p.no_people === 1,
  urls: { display: `/api/photos/${p.id}/image?size=display`, thumb: `/api/photos/${p.id}/image?size=thumb` },
});
