import type { Group, Membership, Person, Unit } from '../../../db/schema.js';
import type { GuardianLinkWithPerson } from './guardian.repository.js';

export interface UnitDto {
  id: string;
  organisationId: string;
  name: string;
  kind: Unit['kind'];
}

export interface GroupDto {
  id: string;
  unitId: string;
  name: string;
}

export interface MembershipDto {
  id: string;
  groupId: string;
  unitId: string;
  from: string;
  to: string | null;
}

export interface PersonDto {
  id: string;
  kind: Person['kind'];
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  memberships: MembershipDto[];
}

export interface GuardianLinkDto {
  id: string;
  childId: string;
  role: GuardianLinkWithPerson['role'];
  responsibility: boolean;
  guardian: { id: string; firstName: string; lastName: string; email: string | null; phone: string | null };
}

export const toUnitDto = (u: Unit): UnitDto => ({ id: u.id, organisationId: u.organisation_id, name: u.name, kind: u.kind });

export const toGroupDto = (g: Group): GroupDto => ({ id: g.id, unitId: g.unit_id, name: g.name });

export function toPersonDto(p: Person, memberships: readonly (Membership & { unit_id: string })[]): PersonDto {
  return {
    id: p.id,
    kind: p.kind,
    firstName: p.first_name,
    lastName: p.last_name,
    birthDate: p.birth_date,
    email: p.email,
    phone: p.phone,
    externalId: p.external_id,
    memberships: memberships
      .filter((m) => m.person_id === p.id)
      .map((m) => ({ id: m.id, groupId: m.group_id, unitId: m.unit_id, from: m.from_date, to: m.to_date })),
  };
}

export function toGuardianLinkDto(l: GuardianLinkWithPerson): GuardianLinkDto {
  return {
    id: l.id,
    childId: l.child_id,
    role: l.role,
    responsibility: l.responsibility === 1,
    guardian: {
      id: l.guardian.id,
      firstName: l.guardian.first_name,
      lastName: l.guardian.last_name,
      email: l.guardian.email,
      phone: l.guardian.phone,
    },
  };
}
