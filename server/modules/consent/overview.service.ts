import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import type { Question, ReasonCode } from '../../domain/consent.js';
import { resolveScope, scopeIncludesUnit } from '../access/scope.js';
import { refuseAccess } from '../audit/audit.service.js';
import { searchPeople } from '../roster/person.repository.js';
import { findGroup } from '../roster/unit.repository.js';
import { consentFor, loadConsentFacts } from './consent-facts.js';
import { isPrivileged } from './consent.service.js';
import { toPurposeDto, type PurposeDto } from './consent.mappers.js';
import { listPurposes } from './purpose.repository.js';

export interface OverviewCell {
  purposeId: string;
  question: Question;
  valid: boolean;
  reasons: ReasonCode[];
  validUntil: string | null;
}

export interface GroupConsentOverview {
  group: { id: string; unitId: string; name: string };
  date: string;
  purposes: PurposeDto[];
  children: { person: { id: string; firstName: string; lastName: string }; cells: OverviewCell[] }[];
}

/** Who in the group may be photographed and published for what, today: what staff check before taking a photo. */
export async function groupConsentOverview(ctx: AppContext, actor: Actor, groupId: string): Promise<GroupConsentOverview> {
  const now = ctx.clock.now();
  const today = osloDate(now);
  const group = await findGroup(ctx.db, groupId);
  const scope = await resolveScope(ctx.db, actor, today);
  if (!group || !scope.byUnit || !scopeIncludesUnit(scope, { id: group.unit_id, organisation_id: group.organisation_id })) {
    throw await refuseAccess(ctx, actor, 'group', groupId, 'The group');
  }
  const [people, purposes] = await Promise.all([
    searchPeople(ctx.db, { organisationId: actor.organisationId, groupId, kind: 'child', on: today, limit: 1000 }),
    listPurposes(ctx.db, actor.organisationId, { activeOnly: true }),
  ]);
  const facts = await loadConsentFacts(ctx, ctx.db, people.map((p) => p.id), purposes);
  const privileged = isPrivileged(actor);
  return {
    group: { id: group.id, unitId: group.unit_id, name: group.name },
    date: today,
    purposes: purposes.map(toPurposeDto),
    children: people
      .sort((a, b) => a.first_name.localeCompare(b.first_name, 'nb') || a.last_name.localeCompare(b.last_name, 'nb'))
      .map((p) => ({
        person: { id: p.id, firstName: p.first_name, lastName: p.last_name },
        cells: purposes.flatMap((purpose) =>
          (purpose.first_name_question === 1 ? (['photo', 'first_name'] as const) : (['photo'] as const)).map((question) => {
            const c = consentFor(facts, p.id, purpose, question, { at: now, privileged, unitId: group.unit_id });
            return { purposeId: purpose.id, question, valid: c.valid, reasons: c.reasons, validUntil: c.validUntil };
          }),
        ),
      })),
  };
}
