import type { ConsentDecision, Executor, Purpose } from '../../../db/schema.js';
import type { AppContext } from '../../context.js';
import {
  effectiveConsent,
  type ConsentDecisionFact,
  type ConsentInput,
  type EffectiveConsent,
  type Question,
} from '../../domain/consent.js';
import { RecentlyAsked } from '../../domain/recently-asked.js';
import { settingsFor } from '../settings/settings.service.js';
import {
  listConsentTokens,
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

type BaseFacts = ConsentFacts['base'] extends Map<string, infer B> ? B : never;

/** What is loaded about one person, for the purposes asked so far, and the token it was read under. */
interface PersonFacts {
  token: string | null;
  organisationId: string;
  base: Omit<BaseFacts, 'settings'>;
  /** Per purpose id, oldest first (an empty list: loaded, and none). */
  decisions: Map<string, ConsentDecisionFact[]>;
}

// The consent facts of the people checked most recently, kept per application context. A
// person's entry is used only while their token in consent_versions is the one it was read
// under: triggers replace the token whenever anything the rule reads about them changes, by
// this process or any other sharing the database. Inside a transaction nothing is read from or
// kept here, since the transaction may hold changes that are not committed. An entry takes
// about 3.4 kB (a child with four school years of decisions), so 5,000 people are some 17 MB.
//
// A person is kept only when asked about again soon (server/domain/recently-asked.ts): within
// the last 1,000 to 2,000 people read from the database, a call's people counted together.
// Checks spread thinly over a whole organisation, where someone comes back only after
// thousands of others, would otherwise turn the cache over without a hit, and every entry made
// would outlive V8's young generation and lengthen its collections.
const KEPT_PEOPLE = 5_000;
const RECENT_ASKS = 1_000;
interface FactsCache {
  entries: Map<string, PersonFacts>;
  asked: RecentlyAsked;
  stats: FactsCacheStats;
}
/** What the cache has done so far in this application context (read by the benchmark). */
export interface FactsCacheStats {
  /** People found in memory, and read from the database. */
  hits: number;
  misses: number;
  /** People newly kept. */
  kept: number;
}
const keptFacts = new WeakMap<object, FactsCache>();

export function factsCacheStats(ctx: AppContext): FactsCacheStats & { entries: number } {
  const cache = keptFacts.get(ctx);
  return { hits: 0, misses: 0, kept: 0, ...cache?.stats, entries: cache?.entries.size ?? 0 };
}

export async function loadConsentFacts(ctx: AppContext, db: Executor, personIds: readonly string[], purposes: readonly Purpose[]): Promise<ConsentFacts> {
  const ids = [...new Set(personIds)];
  const purposeIds = purposes.map((p) => p.id);
  let cache = db.isTransaction ? undefined : keptFacts.get(ctx);
  if (!cache && !db.isTransaction) keptFacts.set(ctx, (cache = { entries: new Map(), asked: new RecentlyAsked(RECENT_ASKS), stats: { hits: 0, misses: 0, kept: 0 } }));

  // The tokens are read before the facts: a change committed in between makes the entry stale
  // at once (its token is already old), never the other way round.
  const [tokens, notices] = await Promise.all([cache ? listConsentTokens(db, ids) : new Map<string, string>(), listFactNoticeVersions(db, purposeIds)]);
  const found = new Map<string, PersonFacts>();
  const missing: string[] = [];
  for (const id of ids) {
    const entry = cache?.entries.get(id);
    if (entry && entry.token === (tokens.get(id) ?? null) && purposeIds.every((p) => entry.decisions.has(p))) {
      cache!.entries.delete(id);
      cache!.entries.set(id, entry);
      found.set(id, entry);
    } else {
      missing.push(id);
    }
  }
  if (cache) {
    cache.stats.hits += found.size;
    cache.stats.misses += missing.length;
    cache.asked.startCall(missing.length);
  }
  for (const entry of await loadPersonFacts(db, missing, purposeIds, tokens)) {
    const id = entry.base.person.id;
    const earlier = cache?.entries.get(id);
    // Decisions for other purposes read under the same token are still right.
    if (earlier && earlier.token === entry.token) for (const [p, list] of earlier.decisions) if (!entry.decisions.has(p)) entry.decisions.set(p, list);
    found.set(id, entry);
    if (!cache) continue;
    // A stale entry is replaced at once; someone new is kept when asked about again soon.
    if (!earlier && !cache.asked.askedAgain(id)) continue;
    if (!earlier) cache.stats.kept += 1;
    cache.entries.delete(id);
    cache.entries.set(id, entry);
    if (cache.entries.size > KEPT_PEOPLE) cache.entries.delete(cache.entries.keys().next().value!);
  }

  // Everyone loaded together belongs to one organisation (callers load within their scope).
  const organisationId = found.values().next().value?.organisationId;
  const s = organisationId ? await settingsFor(ctx, db, organisationId) : { selfConsentAge: ctx.config.selfConsentAge, schoolYearEnd: ctx.config.schoolYearEnd };
  const settings = { selfConsentAge: s.selfConsentAge, schoolYearEnd: s.schoolYearEnd };
  const facts: ConsentFacts = { people: new Map(), decisions: new Map(), base: new Map(), latestMaterial: new Map() };
  for (const [id, entry] of found) {
    const b = entry.base;
    facts.people.set(id, { id, birthDate: b.person.birthDate });
    facts.base.set(id, { person: b.person, guardians: b.guardians, memberships: b.memberships, views: b.views, protection: b.protection, settings });
    for (const p of purposeIds) {
      const list = entry.decisions.get(p)!;
      if (list.length > 0) facts.decisions.set(`${id}|${p}`, list);
    }
  }
  for (const n of notices) if (n.material === 1) facts.latestMaterial.set(n.purpose_id, Math.max(facts.latestMaterial.get(n.purpose_id) ?? 0, n.version));
  return facts;
}

/** The facts of these people from the database, in six queries whatever their number. */
async function loadPersonFacts(db: Executor, ids: readonly string[], purposeIds: readonly string[], tokens: ReadonlyMap<string, string>): Promise<PersonFacts[]> {
  if (ids.length === 0) return [];
  const [people, links, memberships, decisions, views, protection] = await Promise.all([
    listFactPeople(db, ids),
    listFactGuardianLinks(db, ids),
    listFactMemberships(db, ids),
    listFactDecisions(db, ids, purposeIds),
    listFactChildViews(db, ids),
    listFactProtection(db, ids),
  ]);
  const group = <T, V>(items: readonly T[], key: (t: T) => string, value: (t: T) => V) => {
    const m = new Map<string, V[]>();
    for (const i of items) {
      const k = key(i);
      const list = m.get(k);
      if (list) list.push(value(i));
      else m.set(k, [value(i)]);
    }
    return m;
  };
  const linksBy = group(links, (l) => l.child_id, (l) => ({ guardianId: l.guardian_id, responsibility: l.responsibility === 1 }));
  const membershipsBy = group(memberships, (m) => m.person_id, (m) => ({ unitId: m.unit_id, from: m.from_date, to: m.to_date }));
  const viewsBy = group(views, (v) => v.person_id, (v) => ({ purposeId: v.purpose_id, objects: v.objects === 1, recordedAt: new Date(v.recorded_at) }));
  const protectionBy = group(protection, (c) => c.person_id, (c) => ({ protected: c.protected === 1, at: new Date(c.changed_at) }));
  const decisionsBy = group(decisions, (d) => `${d.person_id}|${d.purpose_id}`, toDecisionFact);
  return people.map((p) => ({
    token: tokens.get(p.id) ?? null,
    organisationId: p.organisation_id,
    base: {
      person: { id: p.id, birthDate: p.birth_date, adult: p.kind === 'adult' },
      guardians: linksBy.get(p.id) ?? [],
      memberships: membershipsBy.get(p.id) ?? [],
      views: viewsBy.get(p.id) ?? [],
      protection: protectionBy.get(p.id) ?? [],
    },
    decisions: new Map(purposeIds.map((purposeId) => [purposeId, decisionsBy.get(`${p.id}|${purposeId}`) ?? []])),
  }));
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
