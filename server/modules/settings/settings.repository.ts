import type { Executor } from '../../../db/schema.js';

export async function findOrganisationSettings(db: Executor, organisationId: string) {
  return db
    .selectFrom('organisation_settings')
    .select(['organisation_id', 'self_consent_age', 'school_year_end', 'takedown_due_hours', 'retention_unpublished_days', 'updated_by', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export interface SettingsRow {
  self_consent_age: number | null;
  school_year_end: string | null;
  takedown_due_hours: number | null;
  retention_unpublished_days: number | null;
}

export async function upsertOrganisationSettings(db: Executor, organisationId: string, row: SettingsRow, by: string, now: string): Promise<void> {
  await db
    .insertInto('organisation_settings')
    .values({ organisation_id: organisationId, ...row, updated_by: by, updated_at: now })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ ...row, updated_by: by, updated_at: now }))
    .execute();
}
