import { describe, expect, it } from 'vitest';
import { effectiveConsent, type Audience, type ConsentDecisionFact, type ConsentInput, type DecisionKind, type EffectiveConsent } from '../../server/domain/consent.js';
import { gateDecision, type GateInput, type GateReason, type GateTag, type NameHits, type PersonConsent } from '../../server/domain/gate.js';
import { nameIndexFor } from '../../server/modules/publications/names.js';

// The gate takes each tagged person's effective consent as the consent rule computes it, so
// the consent states here come from real histories through effectiveConsent, not hand-made
// objects: a case for CONSENT_WITHDRAWN is a yes followed by a withdrawal.
//
// The children: Emma and Noah in Solsikken barnehage since August 2025, each with a mother
// (mor) and father (far) with parental responsibility. Now is a Monday in March 2026.

const NOW = new Date('2026-03-02T09:00:00Z');
const SEPTEMBER = '2025-09-01T08:00:00Z';
let serial = 0;

function decision(decision: DecisionKind, decidedBy: string, at = SEPTEMBER, more: Partial<ConsentDecisionFact> = {}): ConsentDecisionFact {
  serial += 1;
  return { id: `d${String(serial).padStart(4, '0')}`, question: 'photo', decision, decidedBy, decidedAt: new Date(at), noticeVersion: 1, occasion: null, ...more };
}
const yes = (by: string, at?: string, more?: Partial<ConsentDecisionFact>) => decision('given', by, at, more);
const no = (by: string, at?: string, more?: Partial<ConsentDecisionFact>) => decision('refused', by, at, more);
const withdrawn = (by: string, at?: string, more?: Partial<ConsentDecisionFact>) => decision('withdrawn', by, at, more);

type History = Omit<Partial<ConsentInput>, 'person' | 'purpose'> & { rule?: 'any' | 'both' };

/** A person's effective consent for a purpose of the audience, from their history. */
function consentFor(person: string, audience: Audience, h: History = {}): EffectiveConsent {
  const { rule, ...rest } = h;
  return effectiveConsent({
    person: { id: person, birthDate: '2021-05-10' },
    purpose: { id: `purpose-${audience}`, audience, guardianRule: rule ?? (audience === 'public' || audience === 'press' ? 'both' : 'any'), perOccasion: false },
    question: 'photo',
    latestMaterialVersion: 1,
    decisions: [],
    guardians: [
      { guardianId: `${person}-mor`, responsibility: true },
      { guardianId: `${person}-far`, responsibility: true },
    ],
    memberships: [{ unitId: 'solsikken', from: '2025-08-15', to: null }],
    unitId: 'solsikken',
    views: [],
    protection: [],
    settings: { selfConsentAge: 15, schoolYearEnd: { month: 7, day: 31 } },
    privileged: false,
    at: NOW,
    ...rest,
  });
}

/** Both guardians said yes in September: valid for any audience. */
const consented = (person: string, audience: Audience, h: History = {}) =>
  consentFor(person, audience, { decisions: [yes(`${person}-mor`), yes(`${person}-far`)], ...h });

const noNames: NameHits = { fullNames: [], firstNames: [] };
const tag = (personId: string | null, recognisable = true): GateTag => ({ personId, recognisable });

function gate(over: Partial<GateInput> & { audience: Audience }) {
  return gateDecision({
    photo: { ready: true, kind: 'activity', noPeople: false },
    tags: [],
    consents: new Map(),
    names: noNames,
    reviewed: false,
    ...over,
  });
}

/** The gate for a photo of the given people (all recognisable), each with their consent. */
function gateFor(audience: Audience, people: Record<string, EffectiveConsent | PersonConsent>, over: Partial<GateInput> = {}) {
  const consents = new Map<string, PersonConsent>(
    Object.entries(people).map(([id, c]) => [id, 'photo' in c ? c : { photo: c, firstName: null }]),
  );
  return gate({ audience, tags: Object.keys(people).map((id) => tag(id)), consents, ...over });
}

const codes = (reasons: GateReason[]) => reasons.map((r) => r.code);

describe('the publish gate allows', () => {
  it('a photo of a child with valid consent, on a closed channel, with no reasons, relying on both answers', () => {
    const emma = consented('emma', 'closed');
    const result = gateFor('closed', { emma });
    expect(result).toEqual({ allowed: true, needsReview: false, reasons: [], decisionIds: emma.decisionIds });
    expect(result.decisionIds).toHaveLength(2);
  });

  it('a photo marked "no people" without any tags', () => {
    for (const audience of ['internal', 'closed'] as const) {
      expect(gate({ audience, photo: { ready: true, kind: 'activity', noPeople: true } })).toMatchObject({ allowed: true, reasons: [] });
    }
  });

  it('a public photo a leader has reviewed', () => {
    const result = gateFor('public', { emma: consented('emma', 'public') }, { reviewed: true });
    expect(result).toMatchObject({ allowed: true, needsReview: false, reasons: [] });
  });
});

describe('one reason code at a time', () => {
  it('NO_CONSENT: nobody has answered for a tagged child', () => {
    const result = gateFor('closed', { emma: consentFor('emma', 'closed') });
    expect(result).toMatchObject({ allowed: false, needsReview: false, reasons: [{ code: 'NO_CONSENT', personId: 'emma' }], decisionIds: [] });
  });

  it('NO_CONSENT: a tagged person the gate has no consent state for at all', () => {
    const result = gate({ audience: 'closed', tags: [tag('stranger')] });
    expect(result).toMatchObject({ allowed: false, reasons: [{ code: 'NO_CONSENT', personId: 'stranger' }] });
  });

  it('CONSENT_REFUSED: a guardian said no', () => {
    const emma = consentFor('emma', 'closed', { decisions: [no('emma-mor')] });
    const result = gateFor('closed', { emma });
    expect(result.reasons).toEqual([{ code: 'CONSENT_REFUSED', personId: 'emma' }]);
    expect(result.decisionIds).toEqual(emma.decisionIds);
  });

  it('CONSENT_REFUSED: one no blocks although the other guardian said yes', () => {
    const result = gateFor('closed', { emma: consentFor('emma', 'closed', { decisions: [yes('emma-far'), no('emma-mor')] }) });
    expect(result).toMatchObject({ allowed: false, reasons: [{ code: 'CONSENT_REFUSED', personId: 'emma' }] });
    expect(result.decisionIds).toHaveLength(2);
  });

  it('CONSENT_WITHDRAWN: a yes followed by a withdrawal', () => {
    const emma = consentFor('emma', 'closed', { decisions: [yes('emma-mor'), withdrawn('emma-mor', '2026-03-01T12:00:00Z')] });
    expect(gateFor('closed', { emma }).reasons).toEqual([{ code: 'CONSENT_WITHDRAWN', personId: 'emma' }]);
  });

  it('CONSENT_EXPIRED: a yes from the previous school year', () => {
    const emma = consentFor('emma', 'closed', { decisions: [yes('emma-mor', '2025-06-01T08:00:00Z')], memberships: [{ unitId: 'solsikken', from: '2024-08-15', to: null }] });
    expect(gateFor('closed', { emma }).reasons).toEqual([{ code: 'CONSENT_EXPIRED', personId: 'emma' }]);
  });

  it('CONSENT_EXPIRED: a yes given this school year, checked after 31 July', () => {
    const emma = consented('emma', 'closed', { at: new Date('2026-07-31T22:00:00Z') });
    expect(gateFor('closed', { emma }).reasons).toEqual([{ code: 'CONSENT_EXPIRED', personId: 'emma' }]);
    expect(gateFor('closed', { emma: consented('emma', 'closed', { at: new Date('2026-07-31T21:59:59Z') }) }).allowed).toBe(true);
  });

  it('AWAITING_GUARDIAN: under the "both" rule one guardian has said yes and the other has not answered', () => {
    const emma = consentFor('emma', 'public', { decisions: [yes('emma-far')] });
    const result = gateFor('public', { emma });
    expect(result.reasons).toEqual([
      { code: 'AWAITING_GUARDIAN', personId: 'emma' },
      { code: 'REVIEW_REQUIRED', personId: null },
    ]);
    expect(result).toMatchObject({ allowed: false, needsReview: false });
  });

  it('NOTICE_CHANGED: the yes was given on a notice that a material change has replaced', () => {
    const emma = consented('emma', 'closed', { latestMaterialVersion: 2 });
    expect(gateFor('closed', { emma }).reasons).toEqual([{ code: 'NOTICE_CHANGED', personId: 'emma' }]);
  });

  it("CHILD_OBJECTS: the child's own objection blocks what the guardians allowed", () => {
    const emma = consented('emma', 'closed', { views: [{ purposeId: null, objects: true, recordedAt: new Date('2026-02-01T10:00:00Z') }] });
    expect(gateFor('closed', { emma }).reasons).toEqual([{ code: 'CHILD_OBJECTS', personId: 'emma' }]);
  });

  it('NOT_PUBLISHABLE: a protected child, as staff see it, and never why', () => {
    const protection = [{ protected: true, at: new Date('2026-01-10T10:00:00Z') }];
    const result = gateFor('closed', { noah: consented('noah', 'closed', { protection, privileged: false }) });
    expect(result.reasons).toEqual([{ code: 'NOT_PUBLISHABLE', personId: 'noah' }]);
  });

  it('PROTECTED: the same protected child, as a leader sees it; and internal use is unaffected', () => {
    const protection = [{ protected: true, at: new Date('2026-01-10T10:00:00Z') }];
    expect(gateFor('closed', { noah: consented('noah', 'closed', { protection, privileged: true }) }).reasons).toEqual([{ code: 'PROTECTED', personId: 'noah' }]);
    expect(gateFor('internal', { noah: consented('noah', 'internal', { protection, privileged: true }) })).toMatchObject({ allowed: true, reasons: [] });
  });

  it('UNKNOWN_PERSON: a recognisable visitor, about nobody in particular', () => {
    const result = gate({ audience: 'closed', tags: [tag(null)] });
    expect(result).toMatchObject({ allowed: false, needsReview: false, reasons: [{ code: 'UNKNOWN_PERSON', personId: null }] });
  });

  it('NOT_TAGGED: a photo with no tags that is not marked "no people"', () => {
    for (const audience of ['internal', 'closed', 'public', 'press'] as const) {
      const result = gate({ audience });
      expect(result.allowed).toBe(false);
      expect(result.needsReview).toBe(false);
      expect(result.reasons[0]).toEqual({ code: 'NOT_TAGGED', personId: null });
    }
  });

  it('FULL_NAME_IN_TEXT: a child full name in the caption, with the child and the field', () => {
    const names: NameHits = { fullNames: [{ personId: 'emma', field: 'caption' }], firstNames: [] };
    const result = gateFor('closed', { emma: consented('emma', 'closed') }, { names });
    expect(result.reasons).toEqual([{ code: 'FULL_NAME_IN_TEXT', personId: 'emma', field: 'caption' }]);
  });

  it('NAME_NOT_ALLOWED: a first name without the purpose\'s "name with photo" consent', () => {
    const names: NameHits = { fullNames: [], firstNames: [{ personId: 'emma', field: 'altText' }] };
    const result = gateFor('closed', { emma: { photo: consented('emma', 'closed'), firstName: consentFor('emma', 'closed') } }, { names });
    expect(result.reasons).toEqual([{ code: 'NAME_NOT_ALLOWED', personId: 'emma', field: 'altText' }]);
  });

  it('PORTRAIT_NOT_ALLOWED: a portrait to a public or press audience', () => {
    for (const audience of ['public', 'press'] as const) {
      const result = gateFor(audience, { emma: consented('emma', audience) }, { photo: { ready: true, kind: 'portrait', noPeople: false }, reviewed: true });
      expect(result.reasons).toEqual([{ code: 'PORTRAIT_NOT_ALLOWED', personId: null }]);
    }
    for (const audience of ['internal', 'closed'] as const) {
      expect(gateFor(audience, { emma: consented('emma', audience) }, { photo: { ready: true, kind: 'portrait', noPeople: false } }).allowed).toBe(true);
    }
  });

  it('REVIEW_REQUIRED: a public or press photo that passes everything else waits for a leader', () => {
    for (const audience of ['public', 'press'] as const) {
      const emma = consented('emma', audience);
      const result = gateFor(audience, { emma });
      expect(result).toEqual({ allowed: false, needsReview: true, reasons: [{ code: 'REVIEW_REQUIRED', personId: null }], decisionIds: emma.decisionIds });
    }
    for (const audience of ['internal', 'closed'] as const) expect(gateFor(audience, { emma: consented('emma', audience) }).needsReview).toBe(false);
  });

  it('LEFT_UNIT: the child is no longer in the unit', () => {
    const emma = consented('emma', 'closed', { memberships: [{ unitId: 'solsikken', from: '2025-08-15', to: '2026-02-27' }] });
    expect(gateFor('closed', { emma }).reasons).toEqual([{ code: 'LEFT_UNIT', personId: 'emma' }]);
  });

  it('PHOTO_NOT_READY: the photo is still being processed', () => {
    const result = gateFor('closed', { emma: consented('emma', 'closed') }, { photo: { ready: false, kind: 'activity', noPeople: false } });
    expect(result).toMatchObject({ allowed: false, needsReview: false, reasons: [{ code: 'PHOTO_NOT_READY', personId: null }] });
  });
});

describe('every reason that applies, each with its person', () => {
  it('lists all reasons of all people, the photo and the texts at once, not only the first', () => {
    const emma = consentFor('emma', 'public', { decisions: [yes('emma-far')] }); // awaiting her mother
    const noah = consentFor('noah', 'public', {
      decisions: [no('noah-mor')],
      protection: [{ protected: true, at: new Date('2026-01-10T10:00:00Z') }],
      views: [{ purposeId: null, objects: true, recordedAt: new Date('2026-02-01T10:00:00Z') }],
    });
    const names: NameHits = {
      fullNames: [
        { personId: 'nora', field: 'caption' },
        { personId: 'emma', field: 'altText' },
      ],
      firstNames: [{ personId: 'noah', field: 'title' }],
    };
    const result = gate({
      audience: 'public',
      photo: { ready: true, kind: 'portrait', noPeople: false },
      tags: [tag('emma'), tag('noah'), tag(null), tag('ask', false)],
      consents: new Map([
        ['emma', { photo: emma, firstName: null }],
        ['noah', { photo: noah, firstName: null }],
      ]),
      names,
    });
    expect(result.allowed).toBe(false);
    expect(result.needsReview).toBe(false);
    expect(new Set(result.reasons.map((r) => `${r.code}:${r.personId}:${r.field ?? ''}`))).toEqual(
      new Set([
        'PORTRAIT_NOT_ALLOWED:null:',
        'AWAITING_GUARDIAN:emma:',
        'CHILD_OBJECTS:noah:',
        'CONSENT_REFUSED:noah:',
        'NOT_PUBLISHABLE:noah:',
        'UNKNOWN_PERSON:null:',
        'FULL_NAME_IN_TEXT:nora:caption',
        'FULL_NAME_IN_TEXT:emma:altText',
        'NAME_NOT_ALLOWED:noah:title',
        'REVIEW_REQUIRED:null:',
      ]),
    );
    // Nothing about the person tagged as not recognisable.
    expect(result.reasons.some((r) => r.personId === 'ask')).toBe(false);
    expect(result.decisionIds).toEqual([...emma.decisionIds, ...noah.decisionIds].sort());
  });

  it('lists a reason once per person, however many tags or hits repeat it', () => {
    const names: NameHits = {
      fullNames: [
        { personId: 'emma', field: 'caption' },
        { personId: 'emma', field: 'caption' },
      ],
      firstNames: [],
    };
    const result = gate({ audience: 'closed', tags: [tag(null), tag(null)], names });
    expect(result.reasons).toEqual([
      { code: 'UNKNOWN_PERSON', personId: null },
      { code: 'FULL_NAME_IN_TEXT', personId: 'emma', field: 'caption' },
    ]);
  });

  it('a full name in two fields is two reasons, one per field', () => {
    const names: NameHits = {
      fullNames: [
        { personId: 'emma', field: 'caption' },
        { personId: 'emma', field: 'title' },
      ],
      firstNames: [],
    };
    expect(gateFor('closed', { emma: consented('emma', 'closed') }, { names }).reasons).toEqual([
      { code: 'FULL_NAME_IN_TEXT', personId: 'emma', field: 'caption' },
      { code: 'FULL_NAME_IN_TEXT', personId: 'emma', field: 'title' },
    ]);
  });

  it('a consent with several reasons gives each of them, for the same person', () => {
    const emma = consentFor('emma', 'closed', { decisions: [withdrawn('emma-mor')], views: [{ purposeId: 'purpose-closed', objects: true, recordedAt: new Date('2026-02-01T10:00:00Z') }] });
    expect(codes(gateFor('closed', { emma }).reasons).sort()).toEqual(['CHILD_OBJECTS', 'CONSENT_WITHDRAWN']);
  });
});

describe('recognisable or not', () => {
  it('people tagged as not recognisable need no consent, whatever their state', () => {
    for (const audience of ['internal', 'closed'] as const) {
      const result = gate({
        audience,
        tags: [tag('emma', false), tag('noah', false)],
        consents: new Map([['emma', { photo: consentFor('emma', audience, { decisions: [no('emma-mor')] }), firstName: null }]]),
      });
      expect(result).toEqual({ allowed: true, needsReview: false, reasons: [], decisionIds: [] });
    }
    expect(gate({ audience: 'public', tags: [tag('emma', false)] })).toMatchObject({ allowed: false, needsReview: true, reasons: [{ code: 'REVIEW_REQUIRED' }] });
  });

  it('an unknown recognisable person is allowed only on internal channels; an unknown unrecognisable one anywhere', () => {
    expect(gate({ audience: 'internal', tags: [tag(null)] })).toMatchObject({ allowed: true, reasons: [] });
    for (const audience of ['closed', 'public', 'press'] as const) {
      expect(codes(gate({ audience, tags: [tag(null)] }).reasons)).toContain('UNKNOWN_PERSON');
      expect(codes(gate({ audience, tags: [tag(null, false)] }).reasons)).not.toContain('UNKNOWN_PERSON');
    }
    expect(gate({ audience: 'closed', tags: [tag(null, false)] }).allowed).toBe(true);
  });

  it('a tagged photo is never NOT_TAGGED, even when only unrecognisable people are tagged', () => {
    expect(codes(gate({ audience: 'closed', tags: [tag('emma', false)] }).reasons)).not.toContain('NOT_TAGGED');
  });
});

describe('names in the texts', () => {
  it('a full name of a child who is not tagged at all still refuses', () => {
    const names: NameHits = { fullNames: [{ personId: 'nora', field: 'caption' }], firstNames: [] };
    const result = gateFor('internal', { emma: consented('emma', 'internal') }, { names });
    expect(result.reasons).toEqual([{ code: 'FULL_NAME_IN_TEXT', personId: 'nora', field: 'caption' }]);
  });

  it('a full name counts once, as FULL_NAME_IN_TEXT, not also as a first name in the same field', () => {
    const names: NameHits = { fullNames: [{ personId: 'emma', field: 'caption' }], firstNames: [{ personId: 'emma', field: 'caption' }] };
    expect(gateFor('closed', { emma: consented('emma', 'closed') }, { names }).reasons).toEqual([{ code: 'FULL_NAME_IN_TEXT', personId: 'emma', field: 'caption' }]);
  });

  it('a first name is allowed with first-name consent, and the gate relies on that decision too', () => {
    const photo = consented('emma', 'closed');
    const firstName = consentFor('emma', 'closed', { decisions: [yes('emma-mor', SEPTEMBER, { question: 'first_name' })], question: 'first_name' });
    expect(firstName.valid).toBe(true);
    const names: NameHits = { fullNames: [], firstNames: [{ personId: 'emma', field: 'caption' }] };
    const result = gateFor('closed', { emma: { photo, firstName } }, { names });
    expect(result).toMatchObject({ allowed: true, reasons: [] });
    expect(result.decisionIds).toEqual([...photo.decisionIds, ...firstName.decisionIds].sort());
  });

  it('a first name is never allowed when the purpose asks no first-name question', () => {
    const names: NameHits = { fullNames: [], firstNames: [{ personId: 'emma', field: 'caption' }] };
    expect(gateFor('public', { emma: { photo: consented('emma', 'public'), firstName: null } }, { names, reviewed: true }).reasons).toEqual([
      { code: 'NAME_NOT_ALLOWED', personId: 'emma', field: 'caption' },
    ]);
  });

  it('a refused first-name question refuses the name and the gate names the decision it relied on', () => {
    const refusal = no('emma-mor', SEPTEMBER, { question: 'first_name' });
    const firstName = consentFor('emma', 'closed', { decisions: [refusal], question: 'first_name' });
    const names: NameHits = { fullNames: [], firstNames: [{ personId: 'emma', field: 'title' }] };
    const result = gateFor('closed', { emma: { photo: consented('emma', 'closed'), firstName } }, { names });
    expect(result.reasons).toEqual([{ code: 'NAME_NOT_ALLOWED', personId: 'emma', field: 'title' }]);
    expect(result.decisionIds).toContain(refusal.id);
  });

  it('with the real name finder: any case, without diacritics, in any field, for tagged and untagged children', () => {
    const roster = nameIndexFor('solsikken', [
      { id: 'aasne', first_name: 'Åsne', last_name: 'Bjørnstad' },
      { id: 'emma', first_name: 'Emma', last_name: 'Nordmann' },
      { id: 'nora', first_name: 'Nora', last_name: 'Hansen' },
    ]);
    const names = roster.find({ caption: 'ÅSNE BJØRNSTAD bygger hytte', altText: 'Barn i sandkassa med aasne bjoernstad og nora hansen', title: 'Emma' }, new Set(['aasne', 'emma']));
    const result = gate({
      audience: 'closed',
      tags: [tag('aasne'), tag('emma')],
      consents: new Map([
        ['aasne', { photo: consented('aasne', 'closed'), firstName: null }],
        ['emma', { photo: consented('emma', 'closed'), firstName: null }],
      ]),
      names,
    });
    expect(new Set(result.reasons.map((r) => `${r.code}:${r.personId}:${r.field}`))).toEqual(
      new Set(['FULL_NAME_IN_TEXT:aasne:caption', 'FULL_NAME_IN_TEXT:aasne:altText', 'FULL_NAME_IN_TEXT:nora:altText', 'NAME_NOT_ALLOWED:emma:title']),
    );
  });
});

describe('decision ids', () => {
  it('are the consent decisions of every recognisable tagged person, sorted and without duplicates, refusals included', () => {
    const emma = consented('emma', 'closed');
    const noah = consentFor('noah', 'closed', { decisions: [no('noah-far')] });
    const result = gateFor('closed', { noah, emma });
    expect(result.decisionIds).toEqual([...emma.decisionIds, ...noah.decisionIds].sort());
    expect(new Set(result.decisionIds).size).toBe(result.decisionIds.length);
  });

  it('leave out the decisions of people tagged as not recognisable', () => {
    const emma = consented('emma', 'closed');
    const result = gate({ audience: 'closed', tags: [tag('emma', false)], consents: new Map([['emma', { photo: emma, firstName: null }]]) });
    expect(result.decisionIds).toEqual([]);
  });

  it('leave out decisions that no longer count (a superseded yes is not relied on; the withdrawal is)', () => {
    const first = yes('emma-mor');
    const later = withdrawn('emma-mor', '2026-02-01T08:00:00Z');
    const result = gateFor('closed', { emma: consentFor('emma', 'closed', { decisions: [first, later] }) });
    expect(result.decisionIds).toEqual([later.id]);
  });
});
