import type { Actor, AppContext } from '../../context.js';
import { ForbiddenError } from '../../errors.js';
import { audit } from '../audit/audit.service.js';

/** Refuses, and audits the refusal, when the caller's role may not use this capability at all. */
export async function requireRole(
  ctx: AppContext,
  actor: Actor,
  roles: readonly Actor['role'][],
  objectType: string,
  objectId: string | null = null,
): Promise<void> {
  if (roles.includes(actor.role)) return;
  await ctx.db.transaction().execute((trx) =>
    audit(ctx, trx, actor, { action: 'access.refused', objectType, objectId, payload: { role: actor.role } }),
  );
  throw new ForbiddenError();
}
