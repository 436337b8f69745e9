import type { ChildView, ConsentDecision, Executor, ProtectionChange } from '../../../db/schema.js';

const decisionColumns = [
  'id',
  'person_id',
  'purpose_id',
  'question',
  'decision',
  'decided_by_person_id',
  'decided_by_role',
  'method',
  'recorded_by_account_id',
  'evidence_note',
  'notice_id',
  'notice_version',
  'notice_sha256',
  'occasion',
  'decided_at',
  'valid_until',
] as const;

/** Consent decisions of the people, for the purposes when given, oldest first. */
export async function listDecisions(db: Executor, personIds: readonly string[], purposeIds?: readonly string[]): Promise<ConsentDecision[]> {
  if (personIds.length === 0 || purposeIds?.length === 0) return [];
  let q = db.selectFrom('consent_decisions').select(decisionColumns).where('person_id', 'in', personIds);
  if (purposeIds) q = q.where('purpose_id', 'in', purposeIds);
  return q.orderBy('decided_at').orderBy('id').execute();
}

export async function insertDecision(db: Executor, d: ConsentDecision): Promise<void> {
  await db.insertInto('consent_decisions').values(d).execute();
}

export async function listChildViews(db: Executor, personIds: readonly string[]): Promise<ChildView[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('child_views')
    .select(['id', 'person_id', 'purpose_id', 'objects', 'note', 'recorded_by_account_id', 'recorded_at'])
    .where('person_id', 'in', personIds)
    .orderBy('recorded_at')
    .execute();
}

export async function insertChildView(db: Executor, v: ChildView): Promise<void> {
  await db.insertInto('child_views').values(v).execute();
}

export async function listProtectionChanges(db: Executor, personIds: readonly string[]): Promise<ProtectionChange[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('protection_changes')
    .select(['id', 'person_id', 'protected', 'changed_by_account_id', 'changed_at'])
    .where('person_id', 'in', personIds)
    .orderBy('changed_at')
    .execute();
}

export async function insertProtectionChange(db: Executor, p: ProtectionChange): Promise<void> {
  await db.insertInto('protection_changes').values(p).execute();
}
