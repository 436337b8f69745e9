import { randomUUID } from 'node:crypto';
import type { Actor, AppContext } from '../../context.js';
import { isProtected } from '../../domain/consent.js';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { loadVisiblePerson } from '../roster/person.service.js';
import { insertChildView, insertProtectionChange, listProtectionChanges } from './decision.repository.js';
import { findPurpose } from './purpose.repository.js';
import { recheckPerson } from '../publications/recheck.service.js';

/**
 * Sets or clears the protection flag (protected address, child-welfare placement, or another
 * reason). The reason is never asked for and never stored.
 */
export async function setProtection(ctx: AppContext, actor: Actor, personId: string, value: boolean): Promise<{ protected: boolean }> {
  await loadVisiblePerson(ctx, actor, personId);
  await requireRole(ctx, actor, ['leader', 'admin'], 'protection', personId);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const was = isProtected(
      (await listProtectionChanges(trx, [personId])).map((c) => ({ protected: c.protected === 1, at: new Date(c.changed_at) })),
      now,
    );
    if (was === value) return;
    await insertProtectionChange(trx, { id: randomUUID(), person_id: personId, protected: value ? 1 : 0, changed_by_account_id: actor.accountId, changed_at: now.toISOString() });
    await audit(ctx, trx, actor, { action: value ? 'protection.set' : 'protection.cleared', objectType: 'person', objectId: personId });
    if (value) await recheckPerson(ctx, trx, personId, 'protected');
  });
  return { protected: value };
}

export async function getProtection(ctx: AppContext, actor: Actor, personId: string): Promise<{ protected: boolean }> {
  await loadVisiblePerson(ctx, actor, personId);
  await requireRole(ctx, actor, ['leader', 'admin'], 'protection', personId);
  const changes = await listProtectionChanges(ctx.db, [personId]);
  return { protected: isProtected(changes.map((c) => ({ protected: c.protected === 1, at: new Date(c.changed_at) })), ctx.clock.now()) };
}

export interface ChildViewInput {
  objects: boolean;
  /** null: the view is about every purpose. */
  purposeId: string | null;
  note?: string | null;
}

/**
 * Records the child's own view. An objection blocks whatever the guardians said; a later
 * "accepts" view lifts it.
 */
export async function recordChildView(ctx: AppContext, actor: Actor, personId: string, input: ChildViewInput): Promise<{ id: string; objects: boolean; purposeId: string | null; recordedAt: string }> {
  const person = await loadVisiblePerson(ctx, actor, personId);
  await requireRole(ctx, actor, ['staff', 'leader', 'admin'], 'child_view', personId);
  if (person.kind !== 'child') throw new ValidationError("A child's view can only be recorded for a child.");
  if (input.purposeId) {
    const purpose = await findPurpose(ctx.db, input.purposeId);
    if (!purpose || purpose.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'purpose', input.purposeId, 'The purpose');
  }
  const id = randomUUID();
  const recordedAt = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await insertChildView(trx, {
      id,
      person_id: personId,
      purpose_id: input.purposeId,
      objects: input.objects ? 1 : 0,
      note: input.note?.trim() || null,
      recorded_by_account_id: actor.accountId,
      recorded_at: recordedAt,
    });
    await audit(ctx, trx, actor, {
      action: input.objects ? 'child_view.objects' : 'child_view.accepts',
      objectType: 'person',
      objectId: personId,
      payload: { viewId: id, purposeId: input.purposeId },
    });
    if (input.objects) await recheckPerson(ctx, trx, personId, 'child_objects');
  });
  return { id, objects: input.objects, purposeId: input.purposeId, recordedAt };
}
