import type { Membership } from '../../types/api';
import { todayIso } from '../../lib/format';
import type { UnitWithGroups } from './roster.api';

export type GroupIndex = Map<string, { groupName: string; unitName: string }>;

export function indexGroups(units: readonly UnitWithGroups[]): GroupIndex {
  const index: GroupIndex = new Map();
  for (const unit of units) for (const group of unit.groups) index.set(group.id, { groupName: group.name, unitName: unit.name });
  return index;
}

/** Current or starting later: not yet ended. */
export function isActive(membership: Membership, today = todayIso()): boolean {
  return membership.to === null || membership.to >= today;
}

/** Options for a group picker: "Unit – Group", in unit order. */
export function groupOptions(units: readonly UnitWithGroups[]): { value: string; label: string }[] {
  return units.flatMap((unit) => unit.groups.map((group) => ({ value: group.id, label: `${unit.name} – ${group.name}` })));
}
