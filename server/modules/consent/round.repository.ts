import type { ConsentRound, Executor } from '../../../db/schema.js';

const roundColumns = ['id', 'unit_id', 'reason', 'purpose_ids', 'started_by', 'started_at'] as const;

export async function insertRound(db: Executor, r: ConsentRound): Promise<void> {
  await db.insertInto('consent_rounds').values(r).execute();
}

export async function findRound(db: Executor, id: string): Promise<ConsentRound | undefined> {
  return db.selectFrom('consent_rounds').select(roundColumns).where('id', '=', id).executeTakeFirst();
}

/** The rounds of an organisation's units: all of them (unitIds null) or those named. */
export async function listRounds(db: Executor, organisationId: string, unitIds: readonly string[] | null): Promise<ConsentRound[]> {
  let q = db
    .selectFrom('consent_rounds')
    .select(roundColumns)
    .where('unit_id', 'in', db.selectFrom('units').select('units.id').where('units.organisation_id', '=', organisationId));
  if (unitIds) {
    if (unitIds.length === 0) return [];
    q = q.where('unit_id', 'in', unitIds);
  }
  return q.orderBy('started_at', 'desc').execute();
}

export async function insertRecipient(db: Executor, r: { id: string; roundId: string; accountId: string; sentAt: string }): Promise<void> {
  await db
    .insertInto('consent_round_recipients')
    .values({ id: r.id, round_id: r.roundId, account_id: r.accountId, sent_at: r.sentAt, reminders: 0, last_reminded_at: null })
    .execute();
}

export async function listRecipients(db: Executor, roundId: string) {
  return db
    .selectFrom('consent_round_recipients')
    .innerJoin('accounts', 'accounts.id', 'consent_round_recipients.account_id')
    .select([
      'consent_round_recipients.id',
      'consent_round_recipients.account_id',
      'consent_round_recipients.sent_at',
      'consent_round_recipients.reminders',
      'consent_round_recipients.last_reminded_at',
      'accounts.email',
      'accounts.person_id',
      'accounts.active',
    ])
    .where('consent_round_recipients.round_id', '=', roundId)
    .execute();
}

export async function markReminded(db: Executor, recipientId: string, reminders: number, at: string): Promise<void> {
  await db.updateTable('consent_round_recipients').set({ reminders, last_reminded_at: at }).where('id', '=', recipientId).execute();
}
