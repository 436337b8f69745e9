import { randomUUID } from 'node:crypto';
import type { GuardianRole, Person, PersonKind } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesPerson, scopeIncludesUnit, type Scope } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { ensureGuardianAccount } from './guardian-account.js';
import {
  findGuardianLink,
  findGuardianLinkByPair,
  insertGuardianLink,
  listGuardianLinksOfChild,
  updateGuardianLink,
} from './guardian.repository.js';
import {
  findAdultByEmail,
  findMembership,
  findPerson,
  insertMembership,
  insertPerson,
  listMemberships,
  searchPeople,
  setMembershipEnd,
  updatePerson,
} from './person.repository.js';
import { toGuardianLinkDto, toPersonDto, type GuardianLinkDto, type PersonDto } from './roster.mappers.js';
import { findGroup } from './unit.repository.js';
import { recheckPerson } from '../publications/recheck.service.js';

const MAX_PEOPLE = 500;

async function scopeOf(ctx: AppContext, actor: Actor): Promise<{ scope: Scope; today: string }> {
  const today = osloDate(ctx.clock.now());
  return { scope: await resolveScope(ctx.db, actor, today), today };
}

/** Loads a person the caller may see, or records the refusal and answers as if there were none. */
export async function loadVisiblePerson(ctx: AppContext, actor: Actor, personId: string): Promise<Person> {
  const { scope, today } = await scopeOf(ctx, actor);
  const person = await findPerson(ctx.db, personId);
  if (!person || !(await scopeIncludesPerson(ctx.db, scope, person, today))) {
    throw await refuseAccess(ctx, actor, 'person', personId, 'The person');
  }
  return person;
}

async function withMemberships(ctx: AppContext, people: Person[]): Promise<PersonDto[]> {
  const memberships = await listMemberships(ctx.db, people.map((p) => p.id));
  return people.map((p) => toPersonDto(p, memberships));
}

export interface PeopleFilter {
  q?: string;
  groupId?: string;
  unitId?: string;
  kind?: PersonKind;
}

export async function listVisiblePeople(ctx: AppContext, actor: Actor, filter: PeopleFilter): Promise<PersonDto[]> {
  const { scope, today } = await scopeOf(ctx, actor);
  if (filter.unitId && !scopeIncludesUnit(scope, { id: filter.unitId, organisation_id: actor.organisationId })) {
    throw await refuseAccess(ctx, actor, 'unit', filter.unitId, 'The unit');
  }
  if (filter.groupId) {
    const group = await findGroup(ctx.db, filter.groupId);
    if (!group || !scopeIncludesUnit(scope, { id: group.unit_id, organisation_id: group.organisation_id })) {
      throw await refuseAccess(ctx, actor, 'group', filter.groupId, 'The group');
    }
  }
  const unitIds = filter.unitId ? [filter.unitId] : scope.byUnit ? (scope.unitIds ?? undefined) : undefined;
  const people = await searchPeople(ctx.db, {
    organisationId: actor.organisationId,
    ...(scope.byUnit ? {} : { ids: scope.personIds.filter((id) => id !== actor.personId || actor.role === 'pupil') }),
    ...(unitIds && { unitIds }),
    ...(filter.groupId && { groupId: filter.groupId }),
    ...(filter.kind && { kind: filter.kind }),
    ...(filter.q && { q: filter.q }),
    // Staff and leaders see the people in their unit today; admins see everyone, past members too.
    ...(actor.role === 'admin' ? {} : { on: today }),
    limit: MAX_PEOPLE,
  });
  return withMemberships(ctx, people);
}

export async function getPerson(ctx: AppContext, actor: Actor, personId: string): Promise<PersonDto> {
  const person = await loadVisiblePerson(ctx, actor, personId);
  return (await withMemberships(ctx, [person]))[0]!;
}

export interface NewPersonInput {
  kind: PersonKind;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email?: string | null;
  phone?: string | null;
  externalId?: string | null;
  groupId?: string;
  from?: string;
}

export async function createPerson(ctx: AppContext, actor: Actor, input: NewPersonInput): Promise<PersonDto> {
  await requireRole(ctx, actor, ['admin'], 'person');
  if (input.kind === 'child' && !input.birthDate) throw new ValidationError('A child needs a birth date.');
  const group = input.groupId ? await findGroup(ctx.db, input.groupId) : undefined;
  if (input.groupId && (!group || group.organisation_id !== actor.organisationId)) {
    throw await refuseAccess(ctx, actor, 'group', input.groupId, 'The group');
  }
  const id = randomUUID();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await insertPerson(trx, {
      id,
      organisationId: actor.organisationId,
      kind: input.kind,
      firstName: input.firstName,
      lastName: input.lastName,
      birthDate: input.birthDate,
      email: input.email ?? null,
      phone: input.phone ?? null,
      externalId: input.externalId ?? null,
      now: now.toISOString(),
    });
    await audit(ctx, trx, actor, { action: 'person.created', objectType: 'person', objectId: id, payload: { kind: input.kind } });
    if (group) {
      const membershipId = randomUUID();
      await insertMembership(trx, { id: membershipId, personId: id, groupId: group.id, from: input.from ?? osloDate(now), to: null, now: now.toISOString() });
      await audit(ctx, trx, actor, { action: 'membership.created', objectType: 'membership', objectId: membershipId, payload: { personId: id, groupId: group.id } });
    }
  });
  return getPerson(ctx, actor, id);
}

export async function editPerson(
  ctx: AppContext,
  actor: Actor,
  personId: string,
  changes: { firstName?: string; lastName?: string; birthDate?: string | null; email?: string | null; phone?: string | null },
): Promise<PersonDto> {
  await loadVisiblePerson(ctx, actor, personId);
  await requireRole(ctx, actor, ['admin'], 'person', personId);
  await ctx.db.transaction().execute(async (trx) => {
    await updatePerson(trx, personId, changes, ctx.clock.now().toISOString());
    await audit(ctx, trx, actor, { action: 'person.updated', objectType: 'person', objectId: personId, payload: { fields: Object.keys(changes) } });
  });
  return getPerson(ctx, actor, personId);
}

export async function addMembership(ctx: AppContext, actor: Actor, personId: string, input: { groupId: string; from: string; to?: string | null }): Promise<PersonDto> {
  await loadVisiblePerson(ctx, actor, personId);
  await requireRole(ctx, actor, ['admin'], 'membership');
  const group = await findGroup(ctx.db, input.groupId);
  if (!group || group.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'group', input.groupId, 'The group');
  if (input.to && input.to < input.from) throw new ValidationError('The last day cannot be before the first day.');
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertMembership(trx, { id, personId, groupId: group.id, from: input.from, to: input.to ?? null, now: ctx.clock.now().toISOString() });
    await audit(ctx, trx, actor, { action: 'membership.created', objectType: 'membership', objectId: id, payload: { personId, groupId: group.id } });
  });
  return getPerson(ctx, actor, personId);
}

/** Records the last day a person is in a group (leaving the unit ends their consents). */
export async function endMembership(ctx: AppContext, actor: Actor, membershipId: string, to: string | null): Promise<PersonDto> {
  const membership = await findMembership(ctx.db, membershipId);
  if (!membership) throw await refuseAccess(ctx, actor, 'membership', membershipId, 'The membership');
  await loadVisiblePerson(ctx, actor, membership.person_id);
  await requireRole(ctx, actor, ['admin'], 'membership', membershipId);
  if (to && to < membership.from_date) throw new ValidationError('The last day cannot be before the first day.');
  await ctx.db.transaction().execute(async (trx) => {
    await setMembershipEnd(trx, membershipId, to);
    await audit(ctx, trx, actor, { action: 'membership.ended', objectType: 'membership', objectId: membershipId, payload: { personId: membership.person_id, to } });
    // Leaving today or earlier ends the consents now; a later last day is caught by the hourly check.
    if (to !== null && to < osloDate(ctx.clock.now())) await recheckPerson(ctx, trx, membership.person_id, 'left_unit');
  });
  return getPerson(ctx, actor, membership.person_id);
}

export async function listGuardians(ctx: AppContext, actor: Actor, childId: string): Promise<GuardianLinkDto[]> {
  await loadVisiblePerson(ctx, actor, childId);
  return (await listGuardianLinksOfChild(ctx.db, childId)).map(toGuardianLinkDto);
}

export interface NewGuardianInput {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  role: GuardianRole;
  responsibility: boolean;
}

/** Links a guardian to a child, creating the guardian (and their sign-in account) if the e-mail is new. */
export async function addGuardian(ctx: AppContext, actor: Actor, childId: string, input: NewGuardianInput): Promise<GuardianLinkDto> {
  const child = await loadVisiblePerson(ctx, actor, childId);
  await requireRole(ctx, actor, ['admin'], 'guardian_link');
  if (child.kind !== 'child') throw new ValidationError('Guardians can only be added to a child.');
  const now = ctx.clock.now().toISOString();
  const linkId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    let guardian = await findAdultByEmail(trx, actor.organisationId, input.email);
    if (!guardian) {
      const guardianId = randomUUID();
      await insertPerson(trx, {
        id: guardianId,
        organisationId: actor.organisationId,
        kind: 'adult',
        firstName: input.firstName,
        lastName: input.lastName,
        birthDate: null,
        email: input.email,
        phone: input.phone ?? null,
        externalId: null,
        now,
      });
      await audit(ctx, trx, actor, { action: 'person.created', objectType: 'person', objectId: guardianId, payload: { kind: 'adult' } });
      guardian = (await findPerson(trx, guardianId))!;
    }
    if (await findGuardianLinkByPair(trx, childId, guardian.id)) {
      throw new ConflictError('GUARDIAN_EXISTS', 'This person is already registered as a guardian of the child.');
    }
    await insertGuardianLink(trx, { id: linkId, childId, guardianId: guardian.id, role: input.role, responsibility: input.responsibility, now });
    await audit(ctx, trx, actor, {
      action: 'guardian_link.created',
      objectType: 'guardian_link',
      objectId: linkId,
      payload: { childId, guardianId: guardian.id, role: input.role, responsibility: input.responsibility },
    });
    await ensureGuardianAccount(ctx, trx, actor, guardian);
  });
  const links = await listGuardianLinksOfChild(ctx.db, childId);
  return toGuardianLinkDto(links.find((l) => l.id === linkId)!);
}

export async function editGuardianLink(
  ctx: AppContext,
  actor: Actor,
  linkId: string,
  changes: { role?: GuardianRole; responsibility?: boolean },
): Promise<GuardianLinkDto> {
  const link = await findGuardianLink(ctx.db, linkId);
  if (!link) throw await refuseAccess(ctx, actor, 'guardian_link', linkId, 'The guardian');
  await loadVisiblePerson(ctx, actor, link.child_id);
  await requireRole(ctx, actor, ['admin'], 'guardian_link', linkId);
  await ctx.db.transaction().execute(async (trx) => {
    await updateGuardianLink(trx, linkId, changes, ctx.clock.now().toISOString());
    await audit(ctx, trx, actor, { action: 'guardian_link.updated', objectType: 'guardian_link', objectId: linkId, payload: { childId: link.child_id, ...changes } });
  });
  const links = await listGuardianLinksOfChild(ctx.db, link.child_id);
  return toGuardianLinkDto(links.find((l) => l.id === linkId)!);
}
