import type { Audience, DecisionKind, Question, ReasonCode } from './consent.js';
import type { IsoDate } from './dates.js';
import type { NoticeText } from './notice.js';
import type { MonthDay } from './school-year.js';

// The consent-record exports a person (or their guardian) downloads: ISO/IEC TS 27560 as the
// W3C DPV guide renders it in JSON-LD, and a Kantara Consent Receipt v1.1. People appear by id
// only, never by name; the schemas kept in server/modules/consent/schemas/ describe both.

export type ConsentRecordFormat = 'iso27560' | 'kantara';
export type DeciderRole = 'parent' | 'foster_parent' | 'child_welfare' | 'appointed_guardian' | 'self';

export interface RecordNotice extends NoticeText {
  id: string;
  purposeId: string;
  version: number;
  lang: string;
  material: boolean;
  sha256: string;
  createdAt: string;
}

export interface RecordQuestionState {
  question: Question;
  valid: boolean;
  reasons: ReasonCode[];
  decidedBy: 'guardians' | 'self';
  validUntil: IsoDate | null;
  decisionIds: string[];
  awaiting: string[];
}

export interface RecordPurpose {
  id: string;
  code: string;
  name: string;
  audience: Audience;
  firstNameQuestion: boolean;
  active: boolean;
  /** The current notice in the language asked for; null while the purpose has none. */
  currentNoticeId: string | null;
  channels: { id: string; name: string; kind: 'hosted' | 'external' }[];
  states: RecordQuestionState[];
}

export interface RecordDecision {
  id: string;
  purposeId: string;
  question: Question;
  decision: DecisionKind;
  deciderId: string;
  deciderRole: DeciderRole;
  method: 'web' | 'paper' | 'verbal';
  recordedByAccountId: string;
  evidenceNote: string | null;
  occasion: string | null;
  noticeId: string;
  noticeVersion: number;
  noticeSha256: string;
  decidedAt: string;
  validUntil: IsoDate | null;
}

export interface ConsentRecordInput {
  recordId: string;
  createdAt: string;
  lang: string;
  subject: { id: string; child: boolean; decidesSelf: boolean };
  controller: { id: string; name: string; contact: string; email: string | null; country: string };
  purposes: RecordPurpose[];
  notices: RecordNotice[];
  /** Every decision about the person, oldest first. */
  decisions: RecordDecision[];
  schoolYearEnd: MonthDay;
  /** The public address of this installation; API paths hang off it. */
  baseUrl: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const DPV_27560_RECORD = 'https://w3id.org/dpv/schema/dpv-27560#record';
export const KANTARA_VERSION = 'KI-CR-v1.1.0';

const CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  dct: 'http://purl.org/dc/terms/',
  pd: 'https://w3id.org/dpv/pd#',
  loc: 'https://w3id.org/dpv/loc#',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
  schema: 'https://schema.org/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  samtykke: 'urn:samtykke:terms:',
};

const iri = (kind: string, id: string) => `urn:samtykke:${kind}:${id}`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The school-year rule in words, e.g. "the end of the school year (31 July) or leaving the unit, whichever comes first". */
export function expiryRule(end: MonthDay): string {
  return `the end of the school year (${end.day} ${MONTHS[end.month - 1]}) or the day the person leaves the unit, whichever comes first`;
}

/** The first e-mail address in a text, such as a notice's contact line; null when there is none. */
export function firstEmailIn(text: string): string | null {
  return /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(text)?.[0] ?? null;
}

/** The one-click withdrawal endpoint for a purpose. */
export const withdrawUrl = (input: ConsentRecordInput, purposeId: string) => `${input.baseUrl}/api/people/${input.subject.id}/consents/${purposeId}/withdraw`;

const DECISION_STATUS: Record<DecisionKind, string> = { given: 'dpv:ConsentGiven', refused: 'dpv:ConsentRefused', withdrawn: 'dpv:ConsentWithdrawn' };

// Most telling first: a no or a withdrawal explains the state better than a missing second answer.
const REASON_STATUS: [ReasonCode, string][] = [
  ['CONSENT_WITHDRAWN', 'dpv:ConsentWithdrawn'],
  ['CONSENT_REFUSED', 'dpv:ConsentRefused'],
  ['CHILD_OBJECTS', 'dpv:ConsentRefused'],
  ['CONSENT_EXPIRED', 'dpv:ConsentExpired'],
  ['LEFT_UNIT', 'dpv:ConsentExpired'],
  ['NOTICE_CHANGED', 'dpv:ConsentInvalidated'],
  ['AWAITING_GUARDIAN', 'dpv:ConsentRequested'],
  ['NO_CONSENT', 'dpv:ConsentUnknown'],
  ['PROTECTED', 'dpv:ConsentTerminated'],
  ['NOT_PUBLISHABLE', 'dpv:ConsentTerminated'],
];

/** The DPV consent status that describes an effective-consent state. */
export function dpvStatusOf(state: Pick<RecordQuestionState, 'valid' | 'reasons'>): string {
  if (state.valid) return 'dpv:ConsentGiven';
  return REASON_STATUS.find(([reason]) => state.reasons.includes(reason))?.[1] ?? 'dpv:ConsentUnknown';
}

const deciderType = (role: DeciderRole) => (role === 'self' ? 'dpv:DataSubject' : role === 'parent' ? 'dpv:ParentOfDataSubject' : 'dpv:GuardianOfDataSubject');

const LEGAL_BASES: JsonObject[] = [
  { '@id': 'eu-gdpr:A6-1-a', '@type': 'dpv:LegalBasis', 'dct:title': 'GDPR Art. 6(1)(a): consent' },
  {
    '@id': 'http://data.europa.eu/eli/reg/2016/679/art_8/oj',
    '@type': 'dpv:LegalBasis',
    'dct:title': "GDPR Art. 8: a child's consent; below the self-consent age the guardians with parental responsibility decide",
  },
];

function personalData(purpose: RecordPurpose): JsonObject[] {
  const photo: JsonObject = { '@type': 'dpv:PersonalData', 'skos:broader': 'pd:Picture', 'dct:description': 'Photos in which the person can be recognised', 'dpv:hasNecessity': 'dpv:Required' };
  if (!purpose.firstNameQuestion) return [photo];
  return [photo, { '@type': 'dpv:PersonalData', 'skos:broader': 'pd:Name', 'dct:description': 'First name shown with the photos (asked separately)', 'dpv:hasNecessity': 'dpv:Optional' }];
}

function noticeJson(n: RecordNotice): JsonObject {
  return {
    '@id': iri('notice', n.id),
    '@type': 'dpv:ConsentNotice',
    'dct:identifier': n.id,
    'dct:language': n.lang,
    'dct:created': n.createdAt,
    'schema:version': n.version,
    'samtykke:purpose': iri('purpose', n.purposeId),
    'samtykke:material': n.material,
    'samtykke:sha256': n.sha256,
    'samtykke:text': { what: n.what, wherePublished: n.wherePublished, whoCanSee: n.whoCanSee, retention: n.retention, withdrawal: n.withdrawal, contact: n.contact },
  };
}

function eventJson(d: RecordDecision): JsonObject {
  return {
    '@id': iri('consent-decision', d.id),
    '@type': d.decision === 'given' ? [DECISION_STATUS.given, 'dpv:ExpressedConsent'] : [DECISION_STATUS[d.decision]],
    'dct:identifier': d.id,
    'samtykke:question': d.question,
    'dpv:isIndicatedAtTime': d.decidedAt,
    'dpv:hasDuration': d.validUntil
      ? { '@type': 'dpv:UntilTimeDuration', 'rdf:value': d.validUntil }
      : { '@type': 'dpv:UntilEventDuration', 'rdf:value': 'Until the next decision on this question' },
    'dpv:isIndicatedBy': { '@id': iri('person', d.deciderId), '@type': deciderType(d.deciderRole), 'dct:identifier': d.deciderId, 'samtykke:role': d.deciderRole },
    'dpv:hasIndicationMethod': d.method,
    'samtykke:recordedBy': { '@id': iri('account', d.recordedByAccountId), 'dct:identifier': d.recordedByAccountId, 'samtykke:recordedAs': d.method === 'web' ? 'decider' : 'staff' },
    'dpv:hasNotice': iri('notice', d.noticeId),
    'samtykke:noticeVersion': d.noticeVersion,
    'samtykke:noticeSha256': d.noticeSha256,
    'samtykke:occasion': d.occasion,
    'samtykke:evidenceNote': d.evidenceNote,
  };
}

function processJson(input: ConsentRecordInput, purpose: RecordPurpose, notice: RecordNotice | undefined): JsonObject {
  const events = input.decisions.filter((d) => d.purposeId === purpose.id);
  const noticeIds = [...new Set([...(purpose.currentNoticeId ? [purpose.currentNoticeId] : []), ...events.map((d) => d.noticeId)])];
  const rule = expiryRule(input.schoolYearEnd);
  return {
    '@type': 'dpv:Process',
    'dpv:hasPurpose': {
      '@id': iri('purpose', purpose.id),
      '@type': 'dpv:Purpose',
      'dct:identifier': purpose.id,
      'dct:title': purpose.name,
      'dct:description': notice?.what ?? null,
      'samtykke:code': purpose.code,
      'samtykke:audience': purpose.audience,
      'samtykke:active': purpose.active,
    },
    'dpv:hasPersonalData': personalData(purpose),
    'dpv:hasDataController': iri('organisation', input.controller.id),
    'dpv:hasLegalBasis': LEGAL_BASES,
    'dpv:hasJurisdiction': `loc:${input.controller.country}`,
    'dpv:hasStorageCondition': [
      {
        '@type': 'dpv:StorageLocation',
        'dpv:hasLocation': `loc:${input.controller.country}`,
        'dct:description': "The municipality's own servers; no third party stores the photos",
      },
      {
        '@type': 'dpv:StorageDuration',
        'dct:description': notice?.retention ?? null,
        'dpv:hasDuration': { '@type': 'dpv:UntilEventDuration', 'rdf:value': `Consent lapses at ${rule}` },
      },
    ],
    'dpv:hasRecipient': [
      { '@type': ['dpv:Recipient'], 'samtykke:audience': purpose.audience, 'dct:description': notice?.whoCanSee ?? null },
      ...purpose.channels.map((c) => ({
        '@id': iri('channel', c.id),
        '@type': c.kind === 'external' ? ['dpv:Recipient', 'dpv:ThirdParty'] : ['dpv:Recipient'],
        'dct:title': c.name,
        'samtykke:channelKind': c.kind,
      })),
    ],
    'dpv:hasConsentControl': {
      '@type': ['dpv:WithdrawConsent'],
      'dct:description': notice?.withdrawal ?? null,
      'dpv:isExercisedAt': withdrawUrl(input, purpose.id),
      'samtykke:httpMethod': 'POST',
    },
    'dpv:hasNotice': noticeIds.map((id) => iri('notice', id)),
    'dpv:hasConsentStatus': events.map(eventJson),
    'samtykke:currentState': purpose.states.map((s) => ({
      'samtykke:question': s.question,
      'dpv:hasConsentStatus': dpvStatusOf(s),
      'dct:date': input.createdAt,
      'samtykke:valid': s.valid,
      'samtykke:reasons': s.reasons,
      'samtykke:decidedBy': s.decidedBy,
      'samtykke:validUntil': s.validUntil,
      'samtykke:reliesOn': s.decisionIds,
      'samtykke:awaiting': s.awaiting,
    })),
  };
}

/** The person's consent record as ISO/IEC TS 27560 in DPV JSON-LD: one process per purpose, every decision as an event. */
export function toIso27560Record(input: ConsentRecordInput): JsonObject {
  const notices = new Map(input.notices.map((n) => [n.id, n]));
  const referenced = new Set([...input.purposes.flatMap((p) => (p.currentNoticeId ? [p.currentNoticeId] : [])), ...input.decisions.map((d) => d.noticeId)]);
  const controller = input.controller;
  return {
    '@context': CONTEXT,
    '@id': `urn:uuid:${input.recordId}`,
    '@type': 'dpv:ConsentRecord',
    'dct:identifier': input.recordId,
    'dct:conformsTo': DPV_27560_RECORD,
    'dct:created': input.createdAt,
    'dct:language': input.lang,
    'dpv:hasDataSubject': {
      '@id': iri('person', input.subject.id),
      '@type': input.subject.child ? ['dpv:DataSubject', 'dpv:Child'] : ['dpv:DataSubject'],
      'dct:identifier': input.subject.id,
      'samtykke:decidesSelf': input.subject.decidesSelf,
    },
    'dpv:hasDataController': iri('organisation', controller.id),
    'dpv:hasEntity': [
      {
        '@id': iri('organisation', controller.id),
        '@type': ['dpv:DataController', 'dpv:GovernmentalOrganisation'],
        'dpv:hasIdentifier': iri('organisation', controller.id),
        'dpv:hasName': controller.name,
        'schema:contactPoint': { '@type': 'schema:ContactPoint', 'schema:description': controller.contact, 'schema:email': controller.email },
        'schema:address': { '@type': 'schema:PostalAddress', 'schema:addressCountry': controller.country },
        'schema:url': input.baseUrl,
      },
    ],
    'dpv:hasJurisdiction': `loc:${controller.country}`,
    'dpv:hasApplicableLaw': 'eu-gdpr:GDPR',
    'dpv:hasRight': [
      { '@type': ['dpv:DataSubjectRight', 'eu-gdpr:A7-3'], 'dct:title': 'Right to withdraw consent', 'dpv:isExercisedAt': `${input.baseUrl}/api/people/${input.subject.id}/consents` },
      { '@type': ['dpv:DataSubjectRight', 'eu-gdpr:A15'], 'dct:title': 'Right of access', 'dpv:isExercisedAt': `${input.baseUrl}/api/people/${input.subject.id}/consent-record` },
    ],
    'dpv:hasNotice': [...referenced].flatMap((id) => (notices.has(id) ? [noticeJson(notices.get(id)!)] : [])),
    'dpv:hasProcess': input.purposes.map((p) => processJson(input, p, p.currentNoticeId ? notices.get(p.currentNoticeId) : undefined)),
  };
}

const METHOD_TEXT: Record<RecordDecision['method'], string> = {
  web: 'Web form in Samtykke, by the person deciding',
  paper: 'Signed paper form, recorded by staff',
  verbal: 'Given verbally, recorded by staff',
};

/** The consents in force for the person as a Kantara Consent Receipt v1.1: only valid purposes and questions are listed. */
export function toKantaraReceipt(input: ConsentRecordInput): JsonObject {
  const notices = new Map(input.notices.map((n) => [n.id, n]));
  const decisions = new Map(input.decisions.map((d) => [d.id, d]));
  const relied: RecordDecision[] = [];
  const services = input.purposes.flatMap((purpose) => {
    const valid = purpose.states.filter((s) => s.valid);
    if (valid.length === 0) return [];
    const external = purpose.channels.filter((c) => c.kind === 'external');
    return [
      {
        service: purpose.name,
        purposes: valid.map((s) => {
          const basis = s.decisionIds.flatMap((id) => (decisions.has(id) ? [decisions.get(id)!] : []));
          relied.push(...basis);
          const latest = basis.reduce<RecordDecision | undefined>((a, d) => (!a || d.decidedAt > a.decidedAt ? d : a), undefined);
          const notice = notices.get(latest?.noticeId ?? purpose.currentNoticeId ?? '');
          const until = s.validUntil ? `Valid until ${s.validUntil}: ` : '';
          return {
            purpose: s.question === 'photo' ? (notice?.what ?? purpose.name) : 'First name shown with the photos',
            purposeCategory: [`Photo publication, ${purpose.audience} audience`],
            consentType: 'EXPLICIT',
            piiCategory: s.question === 'photo' ? ['Photo'] : ['Photo', 'First name'],
            primaryPurpose: s.question === 'photo',
            termination: `${until}${expiryRule(input.schoolYearEnd)}, or withdrawal at ${withdrawUrl(input, purpose.id)}. ${notice?.retention ?? ''}`.trim(),
            thirdPartyDisclosure: external.length > 0,
            ...(external.length > 0 && { thirdPartyName: external.map((c) => c.name).join(', ') }),
          };
        }),
      },
    ];
  });
  // The receipt stands for the state after the most recent consent transaction.
  const last = input.decisions.reduce<string | null>((a, d) => (!a || d.decidedAt > a ? d.decidedAt : a), null);
  const methods = [...new Set((relied.length > 0 ? relied : input.decisions).map((d) => d.method))].sort();
  const controller = input.controller;
  return {
    version: KANTARA_VERSION,
    jurisdiction: controller.country,
    consentTimestamp: Math.floor(Date.parse(last ?? input.createdAt) / 1000),
    collectionMethod: methods.length > 0 ? methods.map((m) => METHOD_TEXT[m]).join('; ') : 'No consent has been recorded',
    consentReceiptID: input.recordId,
    language: input.lang,
    piiPrincipalId: input.subject.id,
    piiControllers: [
      {
        piiController: controller.name,
        contact: controller.contact,
        address: { addressCountry: controller.country },
        ...(controller.email && { email: controller.email }),
        piiControllerUrl: input.baseUrl,
      },
    ],
    policyUrl: input.baseUrl,
    services,
    sensitive: false,
    spiCat: [],
  };
}
