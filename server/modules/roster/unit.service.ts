import { randomUUID } from 'node:crypto';
import type { UnitKind } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { ConflictError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesUnit } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { toGroupDto, toUnitDto, type GroupDto, type UnitDto } from './roster.mappers.js';
import {
  findGroup,
  findGroupByName,
  findUnit,
  findUnitByName,
  insertGroup,
  insertUnit,
  listGroups,
  listUnits,
  updateGroup,
  updateUnit,
} from './unit.repository.js';

export async function listVisibleUnits(ctx: AppContext, actor: Actor): Promise<UnitDto[]> {
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  const units = await listUnits(ctx.db, actor.organisationId, scope.unitIds ?? undefined);
  return units.map(toUnitDto);
}

async function loadVisibleUnit(ctx: AppContext, actor: Actor, unitId: string) {
  const unit = await findUnit(ctx.db, unitId);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (!unit || !scopeIncludesUnit(scope, unit)) throw await refuseAccess(ctx, actor, 'unit', unitId, 'The unit');
  return unit;
}

export async function createUnit(ctx: AppContext, actor: Actor, input: { name: string; kind: UnitKind }): Promise<UnitDto> {
  await requireRole(ctx, actor, ['admin'], 'unit');
  const id = randomUUID();
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    if (await findUnitByName(trx, actor.organisationId, input.name)) {
      throw new ConflictError('UNIT_EXISTS', 'A unit with this name already exists.');
    }
    await insertUnit(trx, { id, organisationId: actor.organisationId, name: input.name, kind: input.kind, now });
    await audit(ctx, trx, actor, { action: 'unit.created', objectType: 'unit', objectId: id, payload: { kind: input.kind } });
  });
  return { id, organisationId: actor.organisationId, name: input.name, kind: input.kind };
}

export async function editUnit(ctx: AppContext, actor: Actor, unitId: string, changes: { name?: string; kind?: UnitKind }): Promise<UnitDto> {
  await loadVisibleUnit(ctx, actor, unitId);
  await requireRole(ctx, actor, ['admin'], 'unit', unitId);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    await updateUnit(trx, unitId, changes, now);
    await audit(ctx, trx, actor, { action: 'unit.updated', objectType: 'unit', objectId: unitId, payload: { fields: Object.keys(changes) } });
    return toUnitDto((await findUnit(trx, unitId))!);
  });
}

export async function listUnitGroups(ctx: AppContext, actor: Actor, unitId: string): Promise<GroupDto[]> {
  await loadVisibleUnit(ctx, actor, unitId);
  return (await listGroups(ctx.db, unitId)).map(toGroupDto);
}

export async function createGroup(ctx: AppContext, actor: Actor, unitId: string, input: { name: string }): Promise<GroupDto> {
  await loadVisibleUnit(ctx, actor, unitId);
  await requireRole(ctx, actor, ['admin'], 'group');
  const id = randomUUID();
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    if (await findGroupByName(trx, unitId, input.name)) throw new ConflictError('GROUP_EXISTS', 'The unit already has a group with this name.');
    await insertGroup(trx, { id, unitId, name: input.name, now });
    await audit(ctx, trx, actor, { action: 'group.created', objectType: 'group', objectId: id, payload: { unitId } });
  });
  return { id, unitId, name: input.name };
}

export async function editGroup(ctx: AppContext, actor: Actor, groupId: string, changes: { name?: string }): Promise<GroupDto> {
  const group = await findGroup(ctx.db, groupId);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (!group || !scopeIncludesUnit(scope, { id: group.unit_id, organisation_id: group.organisation_id })) {
    throw await refuseAccess(ctx, actor, 'group', groupId, 'The group');
  }
  await requireRole(ctx, actor, ['admin'], 'group', groupId);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    await updateGroup(trx, groupId, changes, now);
    await audit(ctx, trx, actor, { action: 'group.updated', objectType: 'group', objectId: groupId, payload: { fields: Object.keys(changes) } });
    return toGroupDto({ ...group, ...changes, updated_at: now });
  });
}
