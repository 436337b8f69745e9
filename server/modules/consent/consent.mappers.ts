import type { Channel, Lang, Notice, Purpose } from '../../../db/schema.js';

export interface PurposeDto {
  id: string;
  code: string;
  name: { nb: string; nn: string; en: string };
  audience: Purpose['audience'];
  guardianRule: Purpose['guardian_rule'];
  firstNameQuestion: boolean;
  perOccasion: boolean;
  active: boolean;
  sortOrder: number;
}

export interface NoticeDto {
  id: string;
  purposeId: string;
  version: number;
  lang: Lang;
  material: boolean;
  what: string;
  wherePublished: string;
  whoCanSee: string;
  retention: string;
  withdrawal: string;
  contact: string;
  sha256: string;
  createdAt: string;
}

export interface ChannelDto {
  id: string;
  purposeId: string;
  unitId: string | null;
  name: string;
  slug: string;
  kind: Channel['kind'];
  maxLongEdge: number;
  active: boolean;
}

export const toPurposeDto = (p: Purpose): PurposeDto => ({
  id: p.id,
  code: p.code,
  name: { nb: p.name_nb, nn: p.name_nn, en: p.name_en },
  audience: p.audience,
  guardianRule: p.guardian_rule,
  firstNameQuestion: p.first_name_question === 1,
  perOccasion: p.per_occasion === 1,
  active: p.active === 1,
  sortOrder: p.sort_order,
});

export const toNoticeDto = (n: Notice): NoticeDto => ({
  id: n.id,
  purposeId: n.purpose_id,
  version: n.version,
  lang: n.lang,
  material: n.material === 1,
  what: n.what,
  wherePublished: n.where_published,
  whoCanSee: n.who_can_see,
  retention: n.retention,
  withdrawal: n.withdrawal,
  contact: n.contact,
  sha256: n.sha256,
  createdAt: n.created_at,
});

export const toChannelDto = (c: Channel): ChannelDto => ({
  id: c.id,
  purposeId: c.purpose_id,
  unitId: c.unit_id,
  name: c.name,
  slug: c.slug,
  kind: c.kind,
  maxLongEdge: c.max_long_edge,
  active: c.active === 1,
});

/** The current version of each purpose's notice in the language asked for (Bokmål, then any, when missing). */
export function currentNotices(notices: readonly Notice[], lang: Lang): Map<string, Notice> {
  const latest = new Map<string, number>();
  for (const n of notices) latest.set(n.purpose_id, Math.max(latest.get(n.purpose_id) ?? 0, n.version));
  const rank = (n: Notice) => (n.lang === lang ? 0 : n.lang === 'nb' ? 1 : 2);
  const out = new Map<string, Notice>();
  for (const n of notices) {
    if (n.version !== latest.get(n.purpose_id)) continue;
    const have = out.get(n.purpose_id);
    if (!have || rank(n) < rank(have)) out.set(n.purpose_id, n);
  }
  return out;
}
