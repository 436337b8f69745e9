import type { ConsentDecision, Executor, Purpose } from '../../../db/schema.js';
import type { AppContext } from '../../context.js';
import {
  effectiveConsent,
  type ConsentDecisionFact,
  type ConsentInput,
  type EffectiveConsent,
  type Question,
} from '../../domain/consent.js';
import { settingsFor } from '../settings/settings.service.js';
import {
  listFactChildViews,
  listFactDecisions,
  listFactGuardianLinks,
  listFactMemberships,
  listFactNoticeVersions,
  listFactPeople,
  listFactProtection,
} from './consent-facts.repository.js';

/**
 * Everything the consent rule needs about a set of people and purposes, loaded in a fixed
 * number of queries whatever the number of people.
 */
export interface ConsentFacts {
  people: Map<string, { id: string; birthDate: string | null }>;
  /** Per `personId|purposeId`, oldest first, read once into the rule's terms. */
  decisions: Map<string, ConsentDecisionFact[]>;
  base: Map<string, Omit<ConsentInput, 'purpose' | 'question' | 'latestMaterialVersion' | 'decisions' | 'privileged' | 'at' | 'occasion' | 'unitId'>>;
  latestMaterial: Map<string, number>;
}

export async function loadConsentFacts(ctx: AppContext, db: Executor, personIds: readonly string[], purposes: readonly Purpose[]): Promise<ConsentFacts> {
  const ids = [...new Set(personIds)];
  const [people, links, memberships, decisions, views, protection, notices] = await Promise.all([
    listFactPeople(db, ids),
    listFactGuardianLinks(db, ids),
    listFactMemberships(db, ids),
    listFactDecisions(db, ids, purposes.map((p) => p.id)),
    listFactChildViews(db, ids),
    listFactProtection(db, ids),
    listFactNoticeVersions(db, purposes.map((p) => p.id)),
  ]);
  const group = <T, K, V = T>(items: readonly T[], key: (t: T) => K, value: (t: T) => V = (t) => t as unknown as V) => {
    const m = new Map<K, V[]>();
    for (const i of items) {
      const k = key(i);
      const list = m.get(k);
      if (list) list.push(value(i));
      else m.set(k, [value(i)]);
    }
    return m;
  };
  const linksBy = group(links, (l) => l.child_id);
  const membershipsBy = group(memberships, (m) => m.person_id);
  const viewsBy = group(views, (v) => v.person_id);
  const protectionBy = group(protection, (p) => p.person_id);
  // Everyone loaded together belongs to one organisation (callers load within their scope).
  const organisationId = people[0]?.organisation_id;
  const s = organisationId ? await settingsFor(ctx, db, organisationId) : { selfConsentAge: ctx.config.selfConsentAge, schoolYearEnd: ctx.config.schoolYearEnd };
  const settings = { selfConsentAge: s.selfConsentAge, schoolYearEnd: s.schoolYearEnd };

  const base: ConsentFacts['base'] = new Map();
  for (const p of people) {
    base.set(p.id, {
      person: { id: p.id, birthDate: p.birth_date, adult: p.kind === 'adult' },
      guardians: (linksBy.get(p.id) ?? []).map((l) => ({ guardianId: l.guardian_id, responsibility: l.responsibility === 1 })),
      memberships: (membershipsBy.get(p.id) ?? []).map((m) => ({ unitId: m.unit_id, from: m.from_date, to: m.to_date })),
      views: (viewsBy.get(p.id) ?? []).map((v) => ({ purposeId: v.purpose_id, objects: v.objects === 1, recordedAt: new Date(v.recorded_at) })),
      protection: (protectionBy.get(p.id) ?? []).map((c) => ({ protected: c.protected === 1, at: new Date(c.changed_at) })),
      settings,
    });
  }
  const latestMaterial = new Map<string, number>();
  for (const n of notices) if (n.material === 1) latestMaterial.set(n.purpose_id, Math.max(latestMaterial.get(n.purpose_id) ?? 0, n.version));
  return {
    people: new Map(people.map((p) => [p.id, { id: p.id, birthDate: p.birth_date }])),
    decisions: group(decisions, (d) => `${d.person_id}|${d.purpose_id}`, toDecisionFact),
    base,
    latestMaterial,
  };
}

export function toDecisionFact(
  d: Pick<ConsentDecision, 'id' | 'question' | 'decision' | 'decided_by_person_id' | 'decided_at' | 'notice_version' | 'occasion'>,
): ConsentDecisionFact {
  return {
    id: d.id,
    question: d.question,
    decision: d.decision,
    decidedBy: d.decided_by_person_id,
    decidedAt: new Date(d.decided_at),
    noticeVersion: d.notice_version,
    occasion: d.occasion,
  };
}

/** Effective consent of one loaded person for one purpose and question. */
export function consentFor(
  facts: ConsentFacts,
  personId: string,
  purpose: Purpose,
  question: Question,
  options: { at: Date; privileged: boolean; unitId?: string | null; occasion?: string | null },
): EffectiveConsent {
  const base = facts.base.get(personId);
  if (!base) throw new Error(`Consent facts were not loaded for person ${personId}`);
  // Named field by field: a spread of `base` costs several times the rule itself here (V8's
  // object clone), and its copies outlive the young generation, so every collection got slower.
  return effectiveConsent({
    person: base.person,
    guardians: base.guardians,
    memberships: base.memberships,
    views: base.views,
    protection: base.protection,
    settings: base.settings,
    purpose: { id: purpose.id, audience: purpose.audience, guardianRule: purpose.guardian_rule, perOccasion: purpose.per_occasion === 1 },
    question,
    latestMaterialVersion: facts.latestMaterial.get(purpose.id) ?? 0,
    decisions: facts.decisions.get(`${personId}|${purpose.id}`) ?? [],
    privileged: options.privileged,
    at: options.at,
    unitId: options.unitId ?? null,
    occasion: options.occasion ?? null,
  });
}
