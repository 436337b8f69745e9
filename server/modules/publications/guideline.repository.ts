import type { Executor, Lang } from '../../../db/schema.js';

export async function latestGuidelineVersion(db: Executor, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('guidelines')
    .select((eb) => eb.fn.max<number>('version').as('v'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

export async function guidelineTexts(db: Executor, organisationId: string, version: number) {
  return db
    .selectFrom('guidelines')
    .select(['id', 'version', 'lang', 'title', 'body', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('version', '=', version)
    .execute();
}

export async function insertGuideline(
  db: Executor,
  g: { id: string; organisationId: string; version: number; lang: Lang; title: string; body: string; createdBy: string | null; now: string },
): Promise<void> {
  await db
    .insertInto('guidelines')
    .values({ id: g.id, organisation_id: g.organisationId, version: g.version, lang: g.lang, title: g.title, body: g.body, created_by: g.createdBy, created_at: g.now })
    .execute();
}

export async function hasAcknowledged(db: Executor, accountId: string, version: number): Promise<string | null> {
  const row = await db
    .selectFrom('guideline_acknowledgements')
    .select('acknowledged_at')
    .where('account_id', '=', accountId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.acknowledged_at ?? null;
}

export async function insertAcknowledgement(db: Executor, a: { id: string; accountId: string; organisationId: string; version: number; at: string }): Promise<void> {
  await db
    .insertInto('guideline_acknowledgements')
    .values({ id: a.id, account_id: a.accountId, organisation_id: a.organisationId, version: a.version, acknowledged_at: a.at })
    .onConflict((oc) => oc.columns(['account_id', 'version']).doNothing())
    .execute();
}

/** Staff and leaders of a unit with the time they confirmed the version, if they did. */
export async function acknowledgementsInUnit(db: Executor, unitId: string, version: number) {
  return db
    .selectFrom('accounts')
    .leftJoin('guideline_acknowledgements as g', (join) => join.onRef('g.account_id', '=', 'accounts.id').on('g.version', '=', version))
    .select(['accounts.id', 'accounts.email', 'accounts.role', 'g.acknowledged_at'])
    .where('accounts.unit_id', '=', unitId)
    .where('accounts.active', '=', 1)
    .where('accounts.role', 'in', ['staff', 'leader'])
    .orderBy('accounts.email')
    .execute();
}
