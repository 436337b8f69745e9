import type { Executor } from '../../../db/schema.js';
import type { Actor } from '../../context.js';
import { listResponsibleChildIds } from '../roster/guardian.repository.js';
import { listMemberships } from '../roster/person.repository.js';
import { coversDate } from '../../domain/dates.js';

/**
 * What a caller may see of the roster. Admins see their organisation; leaders and staff the
 * people currently in their unit; guardians themselves and the children they have parental
 * responsibility for; pupils themselves.
 */
export interface Scope {
  organisationId: string;
  /** Units whose current members are visible; null means every unit of the organisation. */
  unitIds: string[] | null;
  /** People visible by name whatever their unit (a guardian's children, a pupil's self). */
  personIds: string[];
  /** Whether the scope reaches people through units (staff, leader, admin) or only by id. */
  byUnit: boolean;
}

export async function resolveScope(db: Executor, actor: Actor, today: string): Promise<Scope> {
  const base = { organisationId: actor.organisationId };
  switch (actor.role) {
    case 'admin':
      return { ...base, unitIds: null, personIds: [], byUnit: true };
    case 'leader':
    case 'staff':
      return { ...base, unitIds: actor.unitId ? [actor.unitId] : [], personIds: [], byUnit: true };
    case 'guardian':
    case 'pupil': {
      if (!actor.personId) return { ...base, unitIds: [], personIds: [], byUnit: false };
      const children = actor.role === 'guardian' ? await listResponsibleChildIds(db, actor.personId) : [];
      const personIds = [actor.personId, ...children];
      const memberships = await listMemberships(db, personIds);
      const unitIds = [...new Set(memberships.filter((m) => coversDate(m.from_date, m.to_date, today)).map((m) => m.unit_id))];
      return { ...base, unitIds, personIds, byUnit: false };
    }
  }
}

/** Whether the person is visible in this scope on the given day. */
export async function scopeIncludesPerson(
  db: Executor,
  scope: Scope,
  person: { id: string; organisation_id: string },
  today: string,
): Promise<boolean> {
  if (person.organisation_id !== scope.organisationId) return false;
  if (scope.personIds.includes(person.id)) return true;
  if (!scope.byUnit) return false;
  if (scope.unitIds === null) return true;
  const memberships = await listMemberships(db, [person.id]);
  return memberships.some((m) => scope.unitIds!.includes(m.unit_id) && coversDate(m.from_date, m.to_date, today));
}

export function scopeIncludesUnit(scope: Scope, unit: { id: string; organisation_id: string }): boolean {
  if (unit.organisation_id !== scope.organisationId) return false;
  return scope.unitIds === null || scope.unitIds.includes(unit.id);
}
