import type { Audience, Executor, Lang, Notice, Purpose } from '../../../db/schema.js';

const purposeColumns = [
  'id',
  'organisation_id',
  'code',
  'name_nb',
  'name_nn',
  'name_en',
  'audience',
  'guardian_rule',
  'first_name_question',
  'per_occasion',
  'active',
  'sort_order',
  'created_at',
  'updated_at',
] as const;

const noticeColumns = [
  'id',
  'purpose_id',
  'version',
  'lang',
  'material',
  'what',
  'where_published',
  'who_can_see',
  'retention',
  'withdrawal',
  'contact',
  'sha256',
  'created_by',
  'created_at',
] as const;

export async function listPurposes(db: Executor, organisationId: string, options: { activeOnly?: boolean } = {}): Promise<Purpose[]> {
  let q = db.selectFrom('purposes').select(purposeColumns).where('organisation_id', '=', organisationId);
  if (options.activeOnly) q = q.where('active', '=', 1);
  return q.orderBy('sort_order').orderBy('code').execute();
}

export async function findPurpose(db: Executor, id: string): Promise<Purpose | undefined> {
  return db.selectFrom('purposes').select(purposeColumns).where('id', '=', id).executeTakeFirst();
}

export async function findPurposeByCode(db: Executor, organisationId: string, code: string): Promise<Purpose | undefined> {
  return db.selectFrom('purposes').select(purposeColumns).where('organisation_id', '=', organisationId).where('code', '=', code).executeTakeFirst();
}

export interface PurposeInput {
  code: string;
  nameNb: string;
  nameNn: string;
  nameEn: string;
  audience: Audience;
  guardianRule: 'any' | 'both';
  firstNameQuestion: boolean;
  perOccasion: boolean;
  sortOrder: number;
}

export async function insertPurpose(db: Executor, p: PurposeInput & { id: string; organisationId: string; now: string }): Promise<void> {
  await db
    .insertInto('purposes')
    .values({
      id: p.id,
      organisation_id: p.organisationId,
      code: p.code,
      name_nb: p.nameNb,
      name_nn: p.nameNn,
      name_en: p.nameEn,
      audience: p.audience,
      guardian_rule: p.guardianRule,
      first_name_question: p.firstNameQuestion ? 1 : 0,
      per_occasion: p.perOccasion ? 1 : 0,
      active: 1,
      sort_order: p.sortOrder,
      created_at: p.now,
      updated_at: p.now,
    })
    .execute();
}

export async function updatePurpose(
  db: Executor,
  id: string,
  c: Partial<Omit<PurposeInput, 'code'>> & { active?: boolean },
  now: string,
): Promise<void> {
  await db
    .updateTable('purposes')
    .set({
      ...(c.nameNb !== undefined && { name_nb: c.nameNb }),
      ...(c.nameNn !== undefined && { name_nn: c.nameNn }),
      ...(c.nameEn !== undefined && { name_en: c.nameEn }),
      ...(c.audience !== undefined && { audience: c.audience }),
      ...(c.guardianRule !== undefined && { guardian_rule: c.guardianRule }),
      ...(c.firstNameQuestion !== undefined && { first_name_question: c.firstNameQuestion ? 1 : 0 }),
      ...(c.perOccasion !== undefined && { per_occasion: c.perOccasion ? 1 : 0 }),
      ...(c.sortOrder !== undefined && { sort_order: c.sortOrder }),
      ...(c.active !== undefined && { active: c.active ? 1 : 0 }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Every notice version of the given purposes, oldest first. */
export async function listNotices(db: Executor, purposeIds: readonly string[]): Promise<Notice[]> {
  if (purposeIds.length === 0) return [];
  return db.selectFrom('notices').select(noticeColumns).where('purpose_id', 'in', purposeIds).orderBy('version').orderBy('lang').execute();
}

export async function findNotice(db: Executor, purposeId: string, version: number, lang: Lang): Promise<Notice | undefined> {
  return db
    .selectFrom('notices')
    .select(noticeColumns)
    .where('purpose_id', '=', purposeId)
    .where('version', '=', version)
    .where('lang', '=', lang)
    .executeTakeFirst();
}

export async function latestNoticeVersion(db: Executor, purposeId: string): Promise<number> {
  const row = await db
    .selectFrom('notices')
    .select((eb) => eb.fn.max<number>('version').as('v'))
    .where('purpose_id', '=', purposeId)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

export async function insertNotice(db: Executor, n: Omit<Notice, 'created_at'> & { created_at: string }): Promise<void> {
  await db.insertInto('notices').values(n).execute();
}
