import type { Channel, Executor } from '../../../db/schema.js';

const columns = ['id', 'organisation_id', 'purpose_id', 'unit_id', 'name', 'slug', 'kind', 'max_long_edge', 'active', 'created_at', 'updated_at'] as const;

export async function listChannels(db: Executor, organisationId: string, unitIds?: readonly string[] | null): Promise<Channel[]> {
  let q = db.selectFrom('channels').select(columns).where('organisation_id', '=', organisationId);
  // Unit-scoped callers see the organisation-wide channels and their own unit's.
  if (unitIds) q = q.where((eb) => eb.or([eb('unit_id', 'is', null), ...(unitIds.length ? [eb('unit_id', 'in', unitIds)] : [])]));
  return q.orderBy('name').execute();
}

export async function findChannel(db: Executor, id: string): Promise<Channel | undefined> {
  return db.selectFrom('channels').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function findChannelBySlug(db: Executor, slug: string): Promise<Channel | undefined> {
  return db.selectFrom('channels').select(columns).where('slug', '=', slug).executeTakeFirst();
}

export async function insertChannel(db: Executor, c: Omit<Channel, 'created_at' | 'updated_at'> & { now: string }): Promise<void> {
  const { now, ...rest } = c;
  await db.insertInto('channels').values({ ...rest, created_at: now, updated_at: now }).execute();
}

export async function updateChannel(
  db: Executor,
  id: string,
  c: { name?: string; kind?: Channel['kind']; maxLongEdge?: number; active?: boolean },
  now: string,
): Promise<void> {
  await db
    .updateTable('channels')
    .set({
      ...(c.name !== undefined && { name: c.name }),
      ...(c.kind !== undefined && { kind: c.kind }),
      ...(c.maxLongEdge !== undefined && { max_long_edge: c.maxLongEdge }),
      ...(c.active !== undefined && { active: c.active ? 1 : 0 }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}
