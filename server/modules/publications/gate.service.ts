import type { Channel, Executor, Photo, Purpose } from '../../../db/schema.js';
import type { AppContext } from '../../context.js';
import type { EffectiveConsent } from '../../domain/consent.js';
import { osloDate } from '../../domain/dates.js';
import { gateDecision, type GateDecision, type NameHits, type PersonConsent, type TextField } from '../../domain/gate.js';
import { consentFor, loadConsentFacts, type ConsentFacts } from '../consent/consent-facts.js';
import { findPurpose } from '../consent/purpose.repository.js';
import { listGateTags } from '../photos/tag.repository.js';
import { listUnitChildNames, rosterToken } from '../roster/person.repository.js';
import { keepUnitNames, keptUnitNames, nameIndexFor, type NameMemo, type Texts, type UnitNames } from './names.js';

export interface GateRequest {
  photo: Photo;
  channel: Channel;
  texts: Texts;
  occasion: string | null;
  reviewed: boolean;
}

export interface GateOptions {
  at: Date;
  /** Leaders and admins see PROTECTED; everyone else NOT_PUBLISHABLE. */
  privileged: boolean;
}

/**
 * Runs the gate for several photo × channel requests at once, loading the consent facts of
 * every tagged person and the names of every unit in a fixed number of queries. Within one run
 * a person's consent for a purpose is worked out once, and each text is read once per unit.
 */
export async function evaluateGates(ctx: AppContext, db: Executor, requests: readonly GateRequest[], o: GateOptions): Promise<GateDecision[]> {
  if (requests.length === 0) return [];
  const tags = await listGateTags(db, [...new Set(requests.map((r) => r.photo.id))]);
  const tagsOf = new Map<string, typeof tags>();
  for (const t of tags) {
    const list = tagsOf.get(t.photo_id);
    if (list) list.push(t);
    else tagsOf.set(t.photo_id, [t]);
  }

  const purposes = new Map<string, Purpose>();
  for (const id of new Set(requests.map((r) => r.channel.purpose_id))) {
    const p = await findPurpose(db, id);
    if (p) purposes.set(id, p);
  }
  const personIds = [...new Set(tags.map((t) => t.person_id).filter((id): id is string => id !== null))];
  const facts = await loadConsentFacts(ctx, db, personIds, [...purposes.values()]);

  const today = osloDate(o.at);
  const organisationId = requests[0]!.photo.organisation_id;
  const rosters = new Map<string, { names: UnitNames; memo: NameMemo }>();
  for (const unitId of new Set(requests.map((r) => r.photo.unit_id))) {
    rosters.set(unitId, { names: await rosterNames(ctx, db, organisationId, unitId, today), memo: new Map() });
  }

  // The same person, purpose, unit and occasion give the same answer at the same instant.
  const consentMemo = new Map<string, Map<string, PersonConsent>>();
  const consentsIn = (purpose: Purpose, unitId: string, occasion: string | null) => {
    const key = `${purpose.id}\u0000${unitId}\u0000${occasion === null ? '\u0001' : occasion}`;
    let memo = consentMemo.get(key);
    if (!memo) consentMemo.set(key, (memo = new Map()));
    const opts = { at: o.at, privileged: o.privileged, unitId, occasion };
    return (personId: string): PersonConsent => {
      let c = memo.get(personId);
      if (!c) {
        c = new LazyPersonConsent(facts, personId, purpose, opts);
        memo.set(personId, c);
      }
      return c;
    };
  };

  return requests.map((r) => {
    const purpose = purposes.get(r.channel.purpose_id);
    const photoTags = tagsOf.get(r.photo.id) ?? [];
    const consents = new Map<string, PersonConsent>();
    const taggedIds = new Set(photoTags.flatMap((t) => (t.person_id ? [t.person_id] : [])));
    if (purpose) {
      const consentOf = consentsIn(purpose, r.photo.unit_id, r.occasion);
      for (const personId of taggedIds) {
        if (!facts.base.has(personId)) continue;
        consents.set(personId, consentOf(personId));
      }
    }
    const roster = rosters.get(r.photo.unit_id)!;
    const names: NameHits = roster.names.find(r.texts, taggedIds, roster.memo);
    return gateDecision({
      photo: { ready: true, kind: r.photo.kind, noPeople: r.photo.no_people === 1 },
      tags: photoTags.map((t) => ({ personId: t.person_id, recognisable: t.recognisable === 1 })),
      consents,
      audience: purpose?.audience ?? 'public',
      names,
      reviewed: r.reviewed,
    });
  });
}

/**
 * A person's consent for the photo, and for their first name only when asked: the gate asks
 * only about people whose first name a text holds. (A class rather than an object literal with
 * a getter, which V8 builds slowly and keeps past the young generation.)
 */
class LazyPersonConsent implements PersonConsent {
  readonly photo: EffectiveConsent;
  #firstName: EffectiveConsent | null | undefined;
  constructor(
    private readonly facts: ConsentFacts,
    private readonly personId: string,
    private readonly purpose: Purpose,
    private readonly opts: { at: Date; privileged: boolean; unitId: string; occasion: string | null },
  ) {
    this.photo = consentFor(facts, personId, purpose, 'photo', opts);
  }
  get firstName(): EffectiveConsent | null {
    if (this.#firstName === undefined) {
      this.#firstName = this.purpose.first_name_question === 1 ? consentFor(this.facts, this.personId, this.purpose, 'first_name', this.opts) : null;
    }
    return this.#firstName;
  }
}

/**
 * Every child of the unit on the day, prepared for the name finder. Preparing costs far more
 * than reading the unit's roster token, so the prepared names are reused for as long as the
 * day and the token are the same; any change to the roster, by any process sharing the
 * database, replaces the token and is seen on the next check.
 */
async function rosterNames(ctx: AppContext, db: Executor, organisationId: string, unitId: string, on: string): Promise<UnitNames> {
  // Inside a transaction the roster may hold changes whose token is replaced only at commit
  // (PostgreSQL), or that may yet be rolled back: read it afresh and keep nothing.
  if (db.isTransaction) return nameIndexFor(unitId, await listUnitChildNames(db, { organisationId, unitId, on }));
  const version = `${on} ${(await rosterToken(db, unitId)) ?? 'unchanged'}`;
  const key = `${organisationId}/${unitId}`;
  const kept = keptUnitNames(ctx, key, version);
  if (kept) return kept;
  return keepUnitNames(ctx, key, version, await listUnitChildNames(db, { organisationId, unitId, on }));
}

export type { TextField };
