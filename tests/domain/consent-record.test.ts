import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dpvStatusOf,
  expiryRule,
  firstEmailIn,
  toIso27560Record,
  toKantaraReceipt,
  type ConsentRecordInput,
  type RecordDecision,
  type RecordNotice,
  type RecordPurpose,
  type RecordQuestionState,
} from '../../server/domain/consent-record.js';
import { expectValidExport } from '../support/consent-record-schemas.js';

type Json = Record<string, any>;

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PERSON = uuid(1);
const MOTHER = uuid(2);
const FATHER = uuid(3);
const STAFF_ACCOUNT = uuid(4);
const MOTHER_ACCOUNT = uuid(5);
const INTERNAL = uuid(10);
const SOCIAL = uuid(11);

const notice = (id: string, purposeId: string, over: Partial<RecordNotice> = {}): RecordNotice => ({
  id,
  purposeId,
  version: 1,
  lang: 'nb',
  material: true,
  sha256: id.replace(/-/g, '').padEnd(64, 'a').slice(0, 64),
  createdAt: '2026-08-01T08:00:00.000Z',
  what: `Hva ${purposeId}`,
  wherePublished: 'Her',
  whoCanSee: 'De ansatte',
  retention: 'Slettes ved slutten av barnehageåret.',
  withdrawal: 'Trekk tilbake med én knapp.',
  contact: 'Personvernombudet: personvern@demo.no.',
  ...over,
});

const state = (question: RecordQuestionState['question'], over: Partial<RecordQuestionState> = {}): RecordQuestionState => ({
  question,
  valid: false,
  reasons: ['NO_CONSENT'],
  decidedBy: 'guardians',
  validUntil: null,
  decisionIds: [],
  awaiting: [MOTHER, FATHER],
  ...over,
});

const purpose = (id: string, over: Partial<RecordPurpose> = {}): RecordPurpose => ({
  id,
  code: id === INTERNAL ? 'internal' : 'social_media',
  name: id === INTERNAL ? 'Gruppens vegg' : 'Kommunens sosiale medier',
  audience: id === INTERNAL ? 'internal' : 'public',
  firstNameQuestion: id === INTERNAL,
  active: true,
  currentNoticeId: uuid(id === INTERNAL ? 20 : 21),
  channels: id === INTERNAL ? [{ id: uuid(30), name: 'Veggen', kind: 'hosted' }] : [{ id: uuid(31), name: 'Kommunens Facebook-side', kind: 'external' }],
  states: id === INTERNAL ? [state('photo'), state('first_name')] : [state('photo')],
  ...over,
});

let seq = 100;
const decision = (over: Partial<RecordDecision> = {}): RecordDecision => ({
  id: uuid(seq++),
  purposeId: INTERNAL,
  question: 'photo',
  decision: 'given',
  deciderId: MOTHER,
  deciderRole: 'parent',
  method: 'web',
  recordedByAccountId: MOTHER_ACCOUNT,
  evidenceNote: null,
  occasion: null,
  noticeId: uuid(20),
  noticeVersion: 1,
  noticeSha256: notice(uuid(20), INTERNAL).sha256,
  decidedAt: '2026-09-01T08:00:00.000Z',
  validUntil: over.decision && over.decision !== 'given' ? null : '2027-07-31',
  ...over,
});

const input = (over: Partial<ConsentRecordInput> = {}): ConsentRecordInput => ({
  recordId: uuid(99),
  createdAt: '2026-11-23T09:00:00.000Z',
  lang: 'nb',
  subject: { id: PERSON, child: true, decidesSelf: false },
  controller: { id: uuid(40), name: 'Demo kommune', contact: 'Personvernombudet: personvern@demo.no.', email: 'personvern@demo.no', country: 'NO' },
  purposes: [purpose(INTERNAL), purpose(SOCIAL)],
  notices: [notice(uuid(20), INTERNAL), notice(uuid(22), INTERNAL, { lang: 'en' }), notice(uuid(21), SOCIAL)],
  decisions: [],
  schoolYearEnd: { month: 7, day: 31 },
  baseUrl: 'https://samtykke.demo.no',
  ...over,
});

const iso = (i: ConsentRecordInput): Json => toIso27560Record(i);
const processOf = (record: Json, purposeId: string): Json => record['dpv:hasProcess'].find((p: Json) => p['dpv:hasPurpose']['dct:identifier'] === purposeId);

describe('ISO/IEC TS 27560 record', () => {
  it('a record with no decisions still names the controller, notices, purposes and the way to withdraw', () => {
    const record = iso(input());
    expectValidExport('iso27560', record);
    expect(record['dct:conformsTo']).toBe('https://w3id.org/dpv/schema/dpv-27560#record');
    const internal = processOf(record, INTERNAL);
    expect(internal['dpv:hasConsentControl']).toEqual({
      '@type': ['dpv:WithdrawConsent'],
      'dct:description': 'Trekk tilbake med én knapp.',
      'dpv:isExercisedAt': `https://samtykke.demo.no/api/people/${PERSON}/consents/${INTERNAL}/withdraw`,
      'samtykke:httpMethod': 'POST',
    });
    expect(internal['dpv:hasPersonalData'].map((d: Json) => d['skos:broader'])).toEqual(['pd:Picture', 'pd:Name']);
    expect(processOf(record, SOCIAL)['dpv:hasPersonalData'].map((d: Json) => d['skos:broader'])).toEqual(['pd:Picture']);
    // Only the current notice in the language asked for: the English version is not referenced.
    expect(record['dpv:hasNotice'].map((n: Json) => n['dct:identifier']).sort()).toEqual([uuid(20), uuid(21)]);
  });

  it('external channels are third-party recipients; storage stays with the municipality', () => {
    const social = processOf(iso(input()), SOCIAL);
    expect(social['dpv:hasRecipient']).toContainEqual({
      '@id': `urn:samtykke:channel:${uuid(31)}`,
      '@type': ['dpv:Recipient', 'dpv:ThirdParty'],
      'dct:title': 'Kommunens Facebook-side',
      'samtykke:channelKind': 'external',
    });
    expect(social['dpv:hasStorageCondition'][0]).toMatchObject({ '@type': 'dpv:StorageLocation', 'dpv:hasLocation': 'loc:NO' });
    expect(social['dpv:hasStorageCondition'][1]['dct:description']).toBe('Slettes ved slutten av barnehageåret.');
  });

  it('the retention rule follows the organisation’s school-year end', () => {
    expect(expiryRule({ month: 6, day: 20 })).toContain('(20 June)');
    const record = iso(input({ schoolYearEnd: { month: 6, day: 20 } }));
    expect(processOf(record, INTERNAL)['dpv:hasStorageCondition'][1]['dpv:hasDuration']['rdf:value']).toContain('20 June');
  });

  it('a paper answer keeps who gave it, who recorded it and the evidence', () => {
    const paper = decision({ deciderId: FATHER, method: 'paper', recordedByAccountId: STAFF_ACCOUNT, evidenceNote: 'Skjema i permen' });
    const e = processOf(iso(input({ decisions: [paper] })), INTERNAL)['dpv:hasConsentStatus'][0];
    expect(e['dpv:isIndicatedBy']).toEqual({ '@id': `urn:samtykke:person:${FATHER}`, '@type': 'dpv:ParentOfDataSubject', 'dct:identifier': FATHER, 'samtykke:role': 'parent' });
    expect(e['samtykke:recordedBy']).toEqual({ '@id': `urn:samtykke:account:${STAFF_ACCOUNT}`, 'dct:identifier': STAFF_ACCOUNT, 'samtykke:recordedAs': 'staff' });
    expect(e['dpv:hasIndicationMethod']).toBe('paper');
    expect(e['samtykke:evidenceNote']).toBe('Skjema i permen');
  });

  it('a person deciding for themself is the data subject; a foster parent is a guardian', () => {
    const self = decision({ deciderId: PERSON, deciderRole: 'self' });
    const foster = decision({ deciderId: FATHER, deciderRole: 'foster_parent' });
    const events = processOf(iso(input({ decisions: [self, foster] })), INTERNAL)['dpv:hasConsentStatus'];
    expect(events.map((e: Json) => e['dpv:isIndicatedBy']['@type'])).toEqual(['dpv:DataSubject', 'dpv:GuardianOfDataSubject']);
  });

  it('a purpose without a notice yet is still a valid record', () => {
    const record = iso(input({ purposes: [purpose(INTERNAL, { currentNoticeId: null })], notices: [] }));
    expectValidExport('iso27560', record);
    expect(processOf(record, INTERNAL)['dpv:hasPurpose']['dct:description']).toBeNull();
  });

  const decisionsArb = fc.array(
    fc.record({
      purposeId: fc.constantFrom(INTERNAL, SOCIAL),
      question: fc.constantFrom('photo' as const, 'first_name' as const),
      decision: fc.constantFrom('given' as const, 'refused' as const, 'withdrawn' as const),
      decider: fc.constantFrom(MOTHER, FATHER),
      method: fc.constantFrom('web' as const, 'paper' as const, 'verbal' as const),
      minutes: fc.integer({ min: 0, max: 500_000 }),
    }),
    { maxLength: 30 },
  );

  it('every decision appears exactly once, under its purpose, with its time, state, decider and notice hash', () => {
    fc.assert(
      fc.property(decisionsArb, (raw) => {
        const decisions = raw
          .map((r, i) =>
            decision({
              id: uuid(1000 + i),
              purposeId: r.purposeId,
              question: r.purposeId === SOCIAL ? 'photo' : r.question,
              decision: r.decision,
              deciderId: r.decider,
              method: r.method,
              recordedByAccountId: r.method === 'web' ? MOTHER_ACCOUNT : STAFF_ACCOUNT,
              noticeId: uuid(r.purposeId === INTERNAL ? 20 : 21),
              noticeSha256: notice(uuid(r.purposeId === INTERNAL ? 20 : 21), r.purposeId).sha256,
              decidedAt: new Date(Date.parse('2026-08-15T00:00:00Z') + r.minutes * 60_000).toISOString(),
              validUntil: r.decision === 'given' ? '2027-07-31' : null,
            }),
          )
          .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
        const record = iso(input({ decisions }));
        expectValidExport('iso27560', record);
        const all = record['dpv:hasProcess'].flatMap((p: Json) => p['dpv:hasConsentStatus'].map((e: Json) => ({ e, purposeId: p['dpv:hasPurpose']['dct:identifier'] })));
        expect(all).toHaveLength(decisions.length);
        for (const d of decisions) {
          const found = all.filter((x: Json) => x.e['dct:identifier'] === d.id);
          expect(found).toHaveLength(1);
          const { e, purposeId } = found[0];
          expect(purposeId).toBe(d.purposeId);
          expect(e['dpv:isIndicatedAtTime']).toBe(d.decidedAt);
          expect(e['@type'][0]).toBe({ given: 'dpv:ConsentGiven', refused: 'dpv:ConsentRefused', withdrawn: 'dpv:ConsentWithdrawn' }[d.decision]);
          expect(e['dpv:isIndicatedBy']['dct:identifier']).toBe(d.deciderId);
          expect(e['samtykke:noticeSha256']).toBe(d.noticeSha256);
          expect(record['dpv:hasNotice'].filter((n: Json) => n['@id'] === e['dpv:hasNotice'])).toHaveLength(1);
        }
        // Oldest first within each purpose, as the history was recorded.
        for (const p of record['dpv:hasProcess']) {
          const times = p['dpv:hasConsentStatus'].map((e: Json) => e['dpv:isIndicatedAtTime']);
          expect(times).toEqual([...times].sort());
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('DPV status of an effective consent', () => {
  it('names the state a person would recognise', () => {
    expect(dpvStatusOf({ valid: true, reasons: [] })).toBe('dpv:ConsentGiven');
    expect(dpvStatusOf({ valid: false, reasons: ['NO_CONSENT'] })).toBe('dpv:ConsentUnknown');
    expect(dpvStatusOf({ valid: false, reasons: ['AWAITING_GUARDIAN'] })).toBe('dpv:ConsentRequested');
    expect(dpvStatusOf({ valid: false, reasons: ['CONSENT_REFUSED', 'CONSENT_WITHDRAWN'] })).toBe('dpv:ConsentWithdrawn');
    expect(dpvStatusOf({ valid: false, reasons: ['CONSENT_EXPIRED'] })).toBe('dpv:ConsentExpired');
    expect(dpvStatusOf({ valid: false, reasons: ['LEFT_UNIT', 'NO_CONSENT'] })).toBe('dpv:ConsentExpired');
    expect(dpvStatusOf({ valid: false, reasons: ['NOTICE_CHANGED'] })).toBe('dpv:ConsentInvalidated');
    expect(dpvStatusOf({ valid: false, reasons: ['CHILD_OBJECTS'] })).toBe('dpv:ConsentRefused');
    expect(dpvStatusOf({ valid: false, reasons: ['NOT_PUBLISHABLE'] })).toBe('dpv:ConsentTerminated');
  });
});

describe('Kantara Consent Receipt v1.1', () => {
  const given = decision({ id: uuid(500), decidedAt: '2026-09-01T08:00:00.000Z' });
  const paper = decision({ id: uuid(501), purposeId: SOCIAL, deciderId: FATHER, method: 'paper', decidedAt: '2026-09-02T08:00:00.000Z', noticeId: uuid(21) });
  const refused = decision({ id: uuid(502), question: 'first_name', decision: 'refused', decidedAt: '2026-09-03T10:00:00.000Z', validUntil: null });
  const withInternalValid = input({
    decisions: [given, paper, refused],
    purposes: [
      purpose(INTERNAL, {
        states: [
          state('photo', { valid: true, reasons: [], validUntil: '2027-07-31', decisionIds: [given.id], awaiting: [] }),
          state('first_name', { reasons: ['CONSENT_REFUSED'], decisionIds: [refused.id], awaiting: [] }),
        ],
      }),
      purpose(SOCIAL, { states: [state('photo', { valid: true, reasons: [], validUntil: '2027-07-31', decisionIds: [paper.id], awaiting: [] })] }),
    ],
  });

  it('lists only the consents in force, each with its notice, termination and disclosure', () => {
    const receipt = toKantaraReceipt(withInternalValid) as Json;
    expectValidExport('kantara', receipt);
    expect(receipt.version).toBe('KI-CR-v1.1.0');
    expect(receipt.services.map((s: Json) => s.service)).toEqual(['Gruppens vegg', 'Kommunens sosiale medier']);
    const [internal, social] = receipt.services;
    expect(internal.purposes).toHaveLength(1);
    expect(internal.purposes[0]).toMatchObject({ purpose: `Hva ${INTERNAL}`, primaryPurpose: true, consentType: 'EXPLICIT', thirdPartyDisclosure: false });
    expect(internal.purposes[0]).not.toHaveProperty('thirdPartyName');
    expect(internal.purposes[0].termination).toContain('Valid until 2027-07-31');
    expect(internal.purposes[0].termination).toContain(`/api/people/${PERSON}/consents/${INTERNAL}/withdraw`);
    expect(social.purposes[0]).toMatchObject({ thirdPartyDisclosure: true, thirdPartyName: 'Kommunens Facebook-side' });
    expect(receipt.collectionMethod).toBe('Signed paper form, recorded by staff; Web form in Samtykke, by the person deciding');
  });

  it('stamps the receipt with the latest consent transaction, in seconds', () => {
    const receipt = toKantaraReceipt(withInternalValid) as Json;
    expect(receipt.consentTimestamp).toBe(Date.parse('2026-09-03T10:00:00.000Z') / 1000);
  });

  it('with nothing in force the receipt lists no service and says how answers were given', () => {
    const receipt = toKantaraReceipt(input({ decisions: [refused] })) as Json;
    expectValidExport('kantara', receipt);
    expect(receipt.services).toEqual([]);
    expect(receipt.collectionMethod).toBe('Web form in Samtykke, by the person deciding');
    const empty = toKantaraReceipt(input()) as Json;
    expect(empty.collectionMethod).toBe('No consent has been recorded');
    expect(empty.consentTimestamp).toBe(Date.parse('2026-11-23T09:00:00.000Z') / 1000);
  });

  it('leaves out the controller e-mail rather than invent one', () => {
    const receipt = toKantaraReceipt(input({ controller: { id: uuid(40), name: 'Demo kommune', contact: 'Styreren', email: null, country: 'NO' } })) as Json;
    expectValidExport('kantara', receipt);
    expect(receipt.piiControllers[0]).not.toHaveProperty('email');
  });
});

describe('controller e-mail from a notice contact line', () => {
  it('finds the first address, or none', () => {
    expect(firstEmailIn('Styreren, eller personvernombudet i Demo kommune: personvern@demo.no.')).toBe('personvern@demo.no');
    expect(firstEmailIn('Ring styreren.')).toBeNull();
  });
});
