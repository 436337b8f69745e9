import { describe, expect, it } from 'vitest';
import {
  childObjects,
  currentStint,
  effectiveConsent,
  isProtected,
  selfConsentFrom,
  type ConsentDecisionFact,
  type ConsentInput,
  type DecisionKind,
} from '../../server/domain/consent.js';

// The family in these cases: Emma (born 10 May 2018) in Solsikken barnehage since August 2023,
// with her mother (mor) and father (far), who both have parental responsibility.
// Times are UTC instants; Oslo is UTC+1 in winter and UTC+2 in summer.

const AUTUMN = new Date('2024-10-01T10:00:00Z');
let nextId = 0;

function decision(
  decision: DecisionKind,
  decidedBy: string,
  at: string,
  more: Partial<Omit<ConsentDecisionFact, 'decision' | 'decidedBy' | 'decidedAt'>> = {},
): ConsentDecisionFact {
  nextId += 1;
  return {
    id: `d${String(nextId).padStart(3, '0')}`,
    question: 'photo',
    decision,
    decidedBy,
    decidedAt: new Date(at),
    noticeVersion: 1,
    occasion: null,
    ...more,
  };
}
const given = (by: string, at: string, more?: Parameters<typeof decision>[3]) => decision('given', by, at, more);
const refused = (by: string, at: string, more?: Parameters<typeof decision>[3]) => decision('refused', by, at, more);
const withdrawn = (by: string, at: string, more?: Parameters<typeof decision>[3]) => decision('withdrawn', by, at, more);

type Overrides = Omit<Partial<ConsentInput>, 'purpose' | 'person' | 'settings'> & {
  purpose?: Partial<ConsentInput['purpose']>;
  person?: Partial<ConsentInput['person']>;
  settings?: Partial<ConsentInput['settings']>;
};

function consent(over: Overrides = {}) {
  const { purpose, person, settings, ...rest } = over;
  const input: ConsentInput = {
    person: { id: 'emma', birthDate: '2018-05-10', ...person },
    purpose: { id: 'web', audience: 'public', guardianRule: 'both', perOccasion: false, ...purpose },
    question: 'photo',
    latestMaterialVersion: 1,
    decisions: [],
    guardians: [
      { guardianId: 'mor', responsibility: true },
      { guardianId: 'far', responsibility: true },
    ],
    memberships: [{ unitId: 'solsikken', from: '2023-08-15', to: null }],
    views: [],
    protection: [],
    settings: { selfConsentAge: 15, schoolYearEnd: { month: 7, day: 31 }, ...settings },
    privileged: false,
    at: AUTUMN,
    ...rest,
  };
  return effectiveConsent(input);
}

describe('no answer means no', () => {
  it('a child nobody has answered for may not be photographed (NO_CONSENT), and both guardians are awaited', () => {
    const result = consent();
    expect(result).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], decidedBy: 'guardians', validUntil: null, decisionIds: [] });
    expect(result.awaiting).toEqual(['far', 'mor']);
  });

  it('a child with no guardian with parental responsibility has no consent under either rule', () => {
    for (const guardianRule of ['any', 'both'] as const) {
      const result = consent({ purpose: { guardianRule }, guardians: [], decisions: [given('mor', '2024-09-01T08:00:00Z')] });
      expect(result).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], awaiting: [] });
    }
  });

  it('an answer to the first-name question is not an answer to the photo question', () => {
    const result = consent({ purpose: { guardianRule: 'any' }, decisions: [given('mor', '2024-09-01T08:00:00Z', { question: 'first_name' })] });
    expect(result.reasons).toEqual(['NO_CONSENT']);
    expect(consent({ purpose: { guardianRule: 'any' }, question: 'first_name', decisions: [given('mor', '2024-09-01T08:00:00Z', { question: 'first_name' })] }).valid).toBe(true);
  });
});

describe('guardian rule "any"', () => {
  it('one guardian saying yes is enough', () => {
    const yes = given('mor', '2024-09-01T08:00:00Z');
    const result = consent({ purpose: { guardianRule: 'any' }, decisions: [yes] });
    expect(result).toMatchObject({ valid: true, reasons: [], decidedBy: 'guardians', awaiting: [], validUntil: '2025-07-31', decisionIds: [yes.id] });
  });
});

describe('guardian rule "both"', () => {
  it('one yes and one missing answer waits for the other guardian (AWAITING_GUARDIAN)', () => {
    const result = consent({ purpose: { guardianRule: 'both' }, decisions: [given('mor', '2024-09-01T08:00:00Z')] });
    expect(result).toMatchObject({ valid: false, reasons: ['AWAITING_GUARDIAN'], awaiting: ['far'], validUntil: null });
  });

  it('both guardians saying yes makes the consent valid', () => {
    const result = consent({ decisions: [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-03T18:00:00Z')] });
    expect(result).toMatchObject({ valid: true, reasons: [], awaiting: [], validUntil: '2025-07-31' });
  });

  it('a child with one guardian with parental responsibility needs only that guardian', () => {
    const result = consent({ guardians: [{ guardianId: 'mor', responsibility: true }], decisions: [given('mor', '2024-09-01T08:00:00Z')] });
    expect(result.valid).toBe(true);
  });

  it('the consent lasts as long as the earliest of the guardians\' yeses', () => {
    // mor said yes in the last school year and renewed nothing; far said yes this year.
    const result = consent({
      at: new Date('2024-06-01T10:00:00Z'),
      decisions: [given('mor', '2023-09-01T08:00:00Z'), given('far', '2023-11-01T08:00:00Z')],
    });
    expect(result).toMatchObject({ valid: true, validUntil: '2024-07-31' });
  });
});

describe("one guardian's no blocks", () => {
  for (const guardianRule of ['any', 'both'] as const) {
    it(`under rule "${guardianRule}", one guardian's refusal blocks although the other said yes (CONSENT_REFUSED)`, () => {
      const result = consent({ purpose: { guardianRule }, decisions: [given('mor', '2024-09-01T08:00:00Z'), refused('far', '2024-09-02T08:00:00Z')] });
      expect(result).toMatchObject({ valid: false, reasons: ['CONSENT_REFUSED'], validUntil: null });
    });

    it(`under rule "${guardianRule}", one guardian's withdrawal blocks although the other said yes (CONSENT_WITHDRAWN)`, () => {
      const result = consent({
        purpose: { guardianRule },
        decisions: [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z'), withdrawn('far', '2024-09-20T08:00:00Z')],
      });
      expect(result).toMatchObject({ valid: false, reasons: ['CONSENT_WITHDRAWN'], validUntil: null });
    });
  }

  it('a refusal and a withdrawal by the two guardians are both listed', () => {
    const result = consent({ decisions: [refused('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z'), withdrawn('far', '2024-09-02T09:00:00Z')] });
    expect(result.reasons).toEqual(['CONSENT_REFUSED', 'CONSENT_WITHDRAWN']);
  });

  it('a withdrawal takes effect at the instant it is recorded', () => {
    const decisions = [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z'), withdrawn('mor', '2024-10-01T10:00:00.000Z')];
    expect(consent({ decisions, at: new Date('2024-10-01T09:59:59.999Z') }).valid).toBe(true);
    expect(consent({ decisions, at: new Date('2024-10-01T10:00:00.000Z') }).reasons).toEqual(['CONSENT_WITHDRAWN']);
  });

  it('a withdrawal followed later by a new yes is valid again', () => {
    const renewed = given('mor', '2024-09-25T08:00:00Z');
    const result = consent({
      decisions: [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z'), withdrawn('mor', '2024-09-20T08:00:00Z'), renewed],
    });
    expect(result.valid).toBe(true);
    expect(result.decisionIds).toContain(renewed.id);
  });

  it('a refusal followed later by a yes counts as the yes', () => {
    const result = consent({ purpose: { guardianRule: 'any' }, decisions: [refused('mor', '2024-09-01T08:00:00Z'), given('mor', '2024-09-05T08:00:00Z')] });
    expect(result.valid).toBe(true);
  });

  it('a yes and a withdrawal by the same guardian at the same instant count as the withdrawal', () => {
    const at = '2024-09-01T08:00:00Z';
    const result = consent({ purpose: { guardianRule: 'any' }, decisions: [withdrawn('mor', at), given('mor', at)] });
    expect(result.reasons).toEqual(['CONSENT_WITHDRAWN']);
  });
});

describe('only guardians with parental responsibility decide', () => {
  const guardians = [
    { guardianId: 'mor', responsibility: true },
    { guardianId: 'far', responsibility: true },
    { guardianId: 'stefar', responsibility: false },
  ];

  it("a guardian without parental responsibility cannot say yes", () => {
    const result = consent({ purpose: { guardianRule: 'any' }, guardians, decisions: [given('stefar', '2024-09-01T08:00:00Z')] });
    expect(result).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], decisionIds: [] });
  });

  it("a guardian without parental responsibility cannot block, nor is waited for", () => {
    const result = consent({
      guardians,
      decisions: [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z'), refused('stefar', '2024-09-02T08:00:00Z')],
    });
    expect(result.valid).toBe(true);
    expect(result.answers.map((a) => a.deciderId)).toEqual(['far', 'mor']);
  });

  it("a stranger's decision never counts", () => {
    const yes = consent({ purpose: { guardianRule: 'any' }, decisions: [given('nabo', '2024-09-01T08:00:00Z')] });
    expect(yes.reasons).toEqual(['NO_CONSENT']);
    const no = consent({ decisions: [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z'), withdrawn('nabo', '2024-09-02T08:00:00Z')] });
    expect(no.valid).toBe(true);
  });

  it("a child's own decision does not count before the self-consent age", () => {
    const result = consent({ purpose: { guardianRule: 'any' }, decisions: [given('emma', '2024-09-01T08:00:00Z')] });
    expect(result.reasons).toEqual(['NO_CONSENT']);
  });
});

describe('a pupil decides alone from the self-consent age', () => {
  // Ola turns 15 on 20 November 2024 (winter: Oslo midnight is 23:00 UTC the day before).
  const ola = { id: 'ola', birthDate: '2009-11-20' };
  const dayBefore = new Date('2024-11-19T12:00:00Z');
  const birthday = new Date('2024-11-20T12:00:00Z');
  const guardiansYes = () => [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z')];

  it("the day before the 15th birthday the guardians decide, and the pupil's own yes does not count", () => {
    const byGuardians = consent({ person: ola, at: dayBefore, decisions: guardiansYes() });
    expect(byGuardians).toMatchObject({ valid: true, decidedBy: 'guardians' });
    const byPupil = consent({ person: ola, at: dayBefore, decisions: [given('ola', '2024-11-19T08:00:00Z')] });
    expect(byPupil).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], decidedBy: 'guardians' });
  });

  it("from the 15th birthday the guardians' earlier yes stops counting and the pupil is asked", () => {
    const result = consent({ person: ola, at: birthday, decisions: guardiansYes() });
    expect(result).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], decidedBy: 'self', awaiting: ['ola'], decisionIds: [] });
  });

  it("from the 15th birthday the pupil's own yes is enough, even under rule both", () => {
    const yes = given('ola', '2024-11-20T07:00:00Z');
    const result = consent({ person: ola, at: birthday, decisions: [yes] });
    expect(result).toMatchObject({ valid: true, decidedBy: 'self', decisionIds: [yes.id], validUntil: '2025-07-31' });
  });

  it("from the 15th birthday the guardians' refusal no longer blocks the pupil's yes", () => {
    const result = consent({ person: ola, at: birthday, decisions: [refused('mor', '2024-11-20T08:00:00Z'), given('ola', '2024-11-20T09:00:00Z')] });
    expect(result.valid).toBe(true);
  });

  it("the pupil's own refusal blocks whatever the guardians said", () => {
    const result = consent({ person: ola, at: birthday, decisions: [...guardiansYes(), refused('ola', '2024-11-20T09:00:00Z')] });
    expect(result).toMatchObject({ valid: false, reasons: ['CONSENT_REFUSED'] });
  });

  it("a yes the pupil gave before turning 15 does not count after the birthday", () => {
    const result = consent({ person: ola, at: birthday, decisions: [given('ola', '2024-11-19T22:59:59Z')] });
    expect(result).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], decidedBy: 'self' });
  });

  it('the birthday begins at midnight Oslo time, not UTC', () => {
    // 23:00 UTC on 19 November is 00:00 on 20 November in Oslo.
    expect(consent({ person: ola, at: new Date('2024-11-19T22:59:59Z') }).decidedBy).toBe('guardians');
    expect(consent({ person: ola, at: new Date('2024-11-19T23:00:00Z') }).decidedBy).toBe('self');
    const yesAtOsloMidnight = given('ola', '2024-11-19T23:00:00Z');
    expect(consent({ person: ola, at: new Date('2024-11-19T23:00:00Z'), decisions: [yesAtOsloMidnight] }).valid).toBe(true);
  });

  it('a pupil born on 29 February decides from 1 March in a common year', () => {
    const leapling = { id: 'lea', birthDate: '2008-02-29' };
    const memberships = [{ unitId: 'solsikken', from: '2022-08-15', to: null }];
    const decisions = [given('mor', '2022-09-01T08:00:00Z'), given('far', '2022-09-01T09:00:00Z'), given('lea', '2023-02-28T12:00:00Z')];
    expect(consent({ person: leapling, memberships, decisions, at: new Date('2023-02-28T12:00:00Z') })).toMatchObject({ valid: true, decidedBy: 'guardians' });
    const onFirstMarch = consent({ person: leapling, memberships, decisions, at: new Date('2023-03-01T12:00:00Z') });
    expect(onFirstMarch).toMatchObject({ valid: false, decidedBy: 'self', reasons: ['NO_CONSENT'] });
    const ownYes = [...decisions, given('lea', '2023-03-01T07:00:00Z')];
    expect(consent({ person: leapling, memberships, decisions: ownYes, at: new Date('2023-03-01T12:00:00Z') }).valid).toBe(true);
  });

  it('a pupil born on 29 February decides from 29 February when the birthday falls in a leap year', () => {
    const leapling = { id: 'lea', birthDate: '2008-02-29' };
    const settings = { selfConsentAge: 16 };
    expect(consent({ person: leapling, settings, at: new Date('2024-02-28T12:00:00Z') }).decidedBy).toBe('guardians');
    expect(consent({ person: leapling, settings, at: new Date('2024-02-29T12:00:00Z') }).decidedBy).toBe('self');
  });

  it('the self-consent age is a setting: at 16, a pupil who has just turned 15 is still decided for by the guardians', () => {
    const settings = { selfConsentAge: 16 };
    const at15 = consent({ person: ola, settings, at: birthday, decisions: guardiansYes() });
    expect(at15).toMatchObject({ valid: true, decidedBy: 'guardians' });
    const at16 = consent({ person: ola, settings, at: new Date('2025-11-20T12:00:00Z'), decisions: [given('ola', '2025-11-20T08:00:00Z')] });
    expect(at16).toMatchObject({ valid: true, decidedBy: 'self' });
  });

  it('a person with no known birth date is always decided for by the guardians', () => {
    const result = consent({ person: { birthDate: null }, at: new Date('2040-01-01T12:00:00Z'), memberships: [{ unitId: 'solsikken', from: '2023-08-15', to: null }] });
    expect(result.decidedBy).toBe('guardians');
  });
});

describe('consent expires at the end of the school year', () => {
  const yes = () => [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z')];

  it('a yes given in the autumn is valid until and including 31 July', () => {
    // 23:59:59 on 31 July in Oslo (summer time, UTC+2).
    const result = consent({ decisions: yes(), at: new Date('2025-07-31T21:59:59Z') });
    expect(result).toMatchObject({ valid: true, validUntil: '2025-07-31' });
  });

  it('the consent has expired from 00:00 on 1 August Oslo time (CONSENT_EXPIRED), while it is still 31 July in UTC', () => {
    const result = consent({ decisions: yes(), at: new Date('2025-07-31T22:00:00Z') });
    expect(result).toMatchObject({ valid: false, reasons: ['CONSENT_EXPIRED'], validUntil: null });
    expect(result.awaiting).toEqual(['far', 'mor']);
    expect(result.answers.map((a) => a.state)).toEqual(['expired', 'expired']);
  });

  it('a yes given on 31 July is valid for that day only', () => {
    const decisions = [given('mor', '2025-07-31T08:00:00Z'), given('far', '2025-07-31T08:00:00Z')];
    expect(consent({ decisions, at: new Date('2025-07-31T12:00:00Z') })).toMatchObject({ valid: true, validUntil: '2025-07-31' });
    expect(consent({ decisions, at: new Date('2025-08-01T12:00:00Z') }).reasons).toEqual(['CONSENT_EXPIRED']);
  });

  it('a yes given at 00:30 on 1 August Oslo time (still 31 July in UTC) lasts the whole new school year', () => {
    const decisions = [given('mor', '2025-07-31T22:30:00Z'), given('far', '2025-07-31T22:30:00Z')];
    expect(consent({ decisions, at: new Date('2025-08-01T12:00:00Z') })).toMatchObject({ valid: true, validUntil: '2026-07-31' });
  });

  it('a consent round renews an expired consent', () => {
    const renewed = [...yes(), given('mor', '2025-08-20T08:00:00Z'), given('far', '2025-08-21T08:00:00Z')];
    expect(consent({ decisions: renewed, at: new Date('2025-09-01T12:00:00Z') })).toMatchObject({ valid: true, validUntil: '2026-07-31' });
  });

  it('when only one guardian renews, the other is awaited (CONSENT_EXPIRED and AWAITING_GUARDIAN)', () => {
    const result = consent({ decisions: [...yes(), given('mor', '2025-08-20T08:00:00Z')], at: new Date('2025-09-01T12:00:00Z') });
    expect(result).toMatchObject({ valid: false, reasons: ['AWAITING_GUARDIAN', 'CONSENT_EXPIRED'], awaiting: ['far'] });
  });

  it('the school-year end is a setting: with 30 June, consent expires on 1 July', () => {
    const settings = { schoolYearEnd: { month: 6, day: 30 } };
    expect(consent({ decisions: yes(), settings, at: new Date('2025-06-30T12:00:00Z') })).toMatchObject({ valid: true, validUntil: '2025-06-30' });
    expect(consent({ decisions: yes(), settings, at: new Date('2025-06-30T22:00:00Z') }).reasons).toEqual(['CONSENT_EXPIRED']);
  });

  it('a refusal does not expire at the end of the school year', () => {
    const result = consent({ decisions: [given('mor', '2024-09-01T08:00:00Z'), refused('far', '2024-09-01T09:00:00Z')], at: new Date('2025-09-01T12:00:00Z') });
    expect(result.reasons).toContain('CONSENT_REFUSED');
  });
});

describe('leaving the unit', () => {
  const yes = () => [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z')];

  it('a child is still in the unit on the last day of the membership', () => {
    const memberships = [{ unitId: 'solsikken', from: '2023-08-15', to: '2024-10-01' }];
    expect(consent({ decisions: yes(), memberships, at: new Date('2024-10-01T21:00:00Z') })).toMatchObject({ valid: true, validUntil: '2024-10-01' });
  });

  it('a child whose membership ended yesterday has left the unit (LEFT_UNIT)', () => {
    const memberships = [{ unitId: 'solsikken', from: '2023-08-15', to: '2024-09-30' }];
    const result = consent({ decisions: yes(), memberships });
    expect(result).toMatchObject({ valid: false, reasons: ['LEFT_UNIT'], validUntil: null });
  });

  it('a planned leaving date before the school-year end shortens the validity to the last day in the unit', () => {
    const memberships = [{ unitId: 'solsikken', from: '2023-08-15', to: '2025-03-14' }];
    expect(consent({ decisions: yes(), memberships })).toMatchObject({ valid: true, validUntil: '2025-03-14' });
  });

  it('a leaving date after the school-year end does not extend the validity', () => {
    const memberships = [{ unitId: 'solsikken', from: '2023-08-15', to: '2026-06-20' }];
    expect(consent({ decisions: yes(), memberships }).validUntil).toBe('2025-07-31');
  });

  it('moving between groups of the same unit without a gap keeps the consent', () => {
    const memberships = [
      { unitId: 'solsikken', from: '2023-08-15', to: '2024-12-31' },
      { unitId: 'solsikken', from: '2025-01-01', to: null },
    ];
    expect(consent({ decisions: yes(), memberships, unitId: 'solsikken', at: new Date('2025-02-03T10:00:00Z') })).toMatchObject({
      valid: true,
      validUntil: '2025-07-31',
    });
  });

  it('a yes from an earlier stay in the unit does not count for a new stay after a gap', () => {
    const memberships = [
      { unitId: 'solsikken', from: '2023-08-15', to: '2024-10-31' },
      { unitId: 'solsikken', from: '2025-01-06', to: null },
    ];
    const result = consent({ decisions: yes(), memberships, at: new Date('2025-02-03T10:00:00Z') });
    expect(result).toMatchObject({ valid: false, reasons: ['CONSENT_EXPIRED'], awaiting: ['far', 'mor'] });
    const renewed = consent({ decisions: [...yes(), given('mor', '2025-01-10T08:00:00Z'), given('far', '2025-01-10T09:00:00Z')], memberships, at: new Date('2025-02-03T10:00:00Z') });
    expect(renewed.valid).toBe(true);
  });

  it('a child who has not started yet is not in the unit', () => {
    const memberships = [{ unitId: 'solsikken', from: '2024-10-15', to: null }];
    expect(consent({ decisions: yes(), memberships }).reasons).toContain('LEFT_UNIT');
  });

  it("only stays in the unit asked about count", () => {
    const memberships = [
      { unitId: 'solsikken', from: '2023-08-15', to: '2024-08-14' },
      { unitId: 'lindegaarden-skole', from: '2024-08-15', to: null },
    ];
    expect(consent({ decisions: yes(), memberships, unitId: 'solsikken' }).reasons).toEqual(['LEFT_UNIT']);
    expect(consent({ decisions: yes(), memberships, unitId: 'lindegaarden-skole' }).valid).toBe(true);
    expect(consent({ decisions: yes(), memberships }).valid).toBe(true);
  });

  it('a child who has left is refused for that reason as well as every other that applies', () => {
    const memberships = [{ unitId: 'solsikken', from: '2023-08-15', to: '2024-09-30' }];
    expect(consent({ memberships }).reasons).toEqual(['LEFT_UNIT', 'NO_CONSENT']);
  });
});

describe('a material change of the notice asks again', () => {
  it('a yes on a superseded notice no longer counts (NOTICE_CHANGED), and the guardian is awaited', () => {
    const result = consent({ purpose: { guardianRule: 'any' }, latestMaterialVersion: 2, decisions: [given('mor', '2024-09-01T08:00:00Z', { noticeVersion: 1 })] });
    expect(result).toMatchObject({ valid: false, reasons: ['NOTICE_CHANGED'], awaiting: ['far', 'mor'] });
    expect(result.answers.find((a) => a.deciderId === 'mor')?.state).toBe('notice_changed');
  });

  it('a yes on the current notice is valid', () => {
    const result = consent({ purpose: { guardianRule: 'any' }, latestMaterialVersion: 2, decisions: [given('mor', '2024-09-01T08:00:00Z', { noticeVersion: 2 })] });
    expect(result.valid).toBe(true);
  });

  it('a yes on a later, non-material version still counts', () => {
    const result = consent({ purpose: { guardianRule: 'any' }, latestMaterialVersion: 2, decisions: [given('mor', '2024-09-01T08:00:00Z', { noticeVersion: 3 })] });
    expect(result.valid).toBe(true);
  });

  it('under rule both, one guardian on the new notice and one on the old: the old one is awaited', () => {
    const result = consent({
      latestMaterialVersion: 2,
      decisions: [given('mor', '2024-09-01T08:00:00Z', { noticeVersion: 2 }), given('far', '2024-09-01T09:00:00Z', { noticeVersion: 1 })],
    });
    expect(result).toMatchObject({ valid: false, reasons: ['AWAITING_GUARDIAN', 'NOTICE_CHANGED'], awaiting: ['far'] });
  });

  it('a refusal on an old notice still blocks', () => {
    const result = consent({
      latestMaterialVersion: 2,
      decisions: [given('mor', '2024-09-01T08:00:00Z', { noticeVersion: 2 }), refused('far', '2024-09-01T09:00:00Z', { noticeVersion: 1 })],
    });
    expect(result).toMatchObject({ valid: false, reasons: ['CONSENT_REFUSED'] });
  });
});

describe("the child's own voice", () => {
  const yes = () => [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z')];

  it('a child who does not want to be published blocks it, whatever the guardians said (CHILD_OBJECTS)', () => {
    const result = consent({ decisions: yes(), views: [{ purposeId: 'web', objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') }] });
    expect(result).toMatchObject({ valid: false, reasons: ['CHILD_OBJECTS'], validUntil: null });
  });

  it('a later view that the child accepts lifts the objection', () => {
    const views = [
      { purposeId: 'web', objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') },
      { purposeId: 'web', objects: false, recordedAt: new Date('2024-09-20T08:00:00Z') },
    ];
    expect(consent({ decisions: yes(), views }).valid).toBe(true);
  });

  it('an objection to another purpose does not apply', () => {
    const views = [{ purposeId: 'facebook', objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') }];
    expect(consent({ decisions: yes(), views }).valid).toBe(true);
  });

  it('an objection recorded without a purpose applies to every purpose', () => {
    const views = [{ purposeId: null, objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') }];
    expect(consent({ decisions: yes(), views }).reasons).toEqual(['CHILD_OBJECTS']);
    expect(consent({ decisions: yes(), views, purpose: { id: 'intranet', audience: 'internal' } }).reasons).toEqual(['CHILD_OBJECTS']);
  });

  it('accepting one purpose after a general objection lifts it for that purpose only', () => {
    const views = [
      { purposeId: null, objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') },
      { purposeId: 'web', objects: false, recordedAt: new Date('2024-09-20T08:00:00Z') },
    ];
    expect(consent({ decisions: yes(), views }).valid).toBe(true);
    expect(childObjects(views, 'facebook', AUTUMN)).toBe(true);
  });

  it('an objection recorded after the instant asked about does not apply yet', () => {
    const views = [{ purposeId: 'web', objects: true, recordedAt: new Date('2024-10-01T10:00:00.001Z') }];
    expect(consent({ decisions: yes(), views }).valid).toBe(true);
  });

  it('an objection and an acceptance recorded at the same instant count as the objection, in whatever order they are stored', () => {
    const instant = new Date('2024-09-10T08:00:00Z');
    const views = [
      { purposeId: null, objects: true, recordedAt: instant },
      { purposeId: 'web', objects: false, recordedAt: instant },
    ];
    expect(consent({ decisions: yes(), views }).reasons).toEqual(['CHILD_OBJECTS']);
    expect(consent({ decisions: yes(), views: [...views].reverse() }).reasons).toEqual(['CHILD_OBJECTS']);
  });

  it('from the self-consent age a view recorded for the child gives way to the pupil\'s own answers', () => {
    // Emma turns 15 on 10 May 2033; staff recorded her objection when she was 13.
    const views = [{ purposeId: 'web', objects: true, recordedAt: new Date('2031-09-10T08:00:00Z') }];
    const own = [given('emma', '2033-09-01T08:00:00Z')];
    const at = new Date('2033-10-01T10:00:00Z');
    const memberships = [{ unitId: 'solsikken', from: '2023-08-15', to: null }];
    expect(consent({ decisions: own, views, at, memberships }).valid).toBe(true);
    // An objection she makes herself after turning 15 still counts.
    const later = [...views, { purposeId: 'web', objects: true, recordedAt: new Date('2033-09-15T08:00:00Z') }];
    expect(consent({ decisions: own, views: later, at, memberships }).reasons).toEqual(['CHILD_OBJECTS']);
  });

  it('the objection blocks even with no consent at all, and both reasons are listed', () => {
    const views = [{ purposeId: 'web', objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') }];
    expect(consent({ views }).reasons).toEqual(['CHILD_OBJECTS', 'NO_CONSENT']);
  });
});

describe('adults', () => {
  it('an adult answers for themself whatever the birth date, and needs no stay in a unit', () => {
    const hilde = { id: 'hilde', birthDate: null, adult: true };
    const mine = [given('hilde', '2024-09-01T08:00:00Z')];
    expect(consent({ person: hilde, memberships: [], decisions: mine })).toMatchObject({ valid: true, decidedBy: 'self', reasons: [] });
    // Guardians' answers never count for an adult.
    const parents = [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T08:00:00Z')];
    expect(consent({ person: hilde, memberships: [], decisions: parents })).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], awaiting: ['hilde'] });
  });
});

describe('protection flag', () => {
  const yes = () => [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z')];
  const flagged = [{ protected: true, at: new Date('2024-09-15T08:00:00Z') }];

  it('a protected child is shown as PROTECTED to a leader', () => {
    expect(consent({ decisions: yes(), protection: flagged, privileged: true })).toMatchObject({ valid: false, reasons: ['PROTECTED'] });
  });

  it('a protected child is shown as NOT_PUBLISHABLE to staff, who are never told why', () => {
    const result = consent({ decisions: yes(), protection: flagged, privileged: false });
    expect(result).toMatchObject({ valid: false, reasons: ['NOT_PUBLISHABLE'] });
    expect(result.reasons).not.toContain('PROTECTED');
  });

  it('protection blocks every audience except internal', () => {
    for (const audience of ['closed', 'public', 'press'] as const) {
      expect(consent({ decisions: yes(), protection: flagged, purpose: { audience } }).reasons).toEqual(['NOT_PUBLISHABLE']);
    }
    expect(consent({ decisions: yes(), protection: flagged, purpose: { audience: 'internal' }, privileged: true })).toMatchObject({ valid: true, reasons: [] });
  });

  it('a cleared protection flag no longer blocks', () => {
    const protection = [...flagged, { protected: false, at: new Date('2024-09-25T08:00:00Z') }];
    expect(consent({ decisions: yes(), protection }).valid).toBe(true);
    expect(isProtected(protection, new Date('2024-09-20T08:00:00Z'))).toBe(true);
  });

  it('a flag set and cleared at the same instant counts as set, in whatever order the changes are stored', () => {
    const instant = new Date('2024-09-15T08:00:00Z');
    const changes = [
      { protected: true, at: instant },
      { protected: false, at: instant },
    ];
    expect(consent({ decisions: yes(), protection: changes }).reasons).toEqual(['NOT_PUBLISHABLE']);
    expect(consent({ decisions: yes(), protection: [...changes].reverse() }).reasons).toEqual(['NOT_PUBLISHABLE']);
  });

  it('a flag set after the instant asked about does not apply yet', () => {
    const protection = [{ protected: true, at: new Date('2024-10-02T08:00:00Z') }];
    expect(consent({ decisions: yes(), protection }).valid).toBe(true);
  });
});

describe('press consent is per occasion', () => {
  const press = { id: 'press', audience: 'press' as const, guardianRule: 'any' as const, perOccasion: true };
  const yesForConcert = () => [given('mor', '2024-09-01T08:00:00Z', { occasion: 'vårkonsert-2025' })];

  it('a press consent counts for its own occasion', () => {
    expect(consent({ purpose: press, occasion: 'vårkonsert-2025', decisions: yesForConcert() }).valid).toBe(true);
  });

  it('a press consent does not count for another occasion', () => {
    expect(consent({ purpose: press, occasion: 'skidag-2025', decisions: yesForConcert() }).reasons).toEqual(['NO_CONSENT']);
  });

  it('a press consent does not count when no occasion is asked about', () => {
    expect(consent({ purpose: press, decisions: yesForConcert() }).reasons).toEqual(['NO_CONSENT']);
    expect(consent({ purpose: press, occasion: null, decisions: yesForConcert() }).reasons).toEqual(['NO_CONSENT']);
  });

  it('a withdrawal for one occasion leaves another occasion alone', () => {
    const decisions = [...yesForConcert(), given('mor', '2024-09-02T08:00:00Z', { occasion: 'skidag-2025' }), withdrawn('mor', '2024-09-03T08:00:00Z', { occasion: 'skidag-2025' })];
    expect(consent({ purpose: press, occasion: 'vårkonsert-2025', decisions }).valid).toBe(true);
    expect(consent({ purpose: press, occasion: 'skidag-2025', decisions }).reasons).toEqual(['CONSENT_WITHDRAWN']);
  });
});

describe('time', () => {
  it('a decision recorded after the instant asked about is ignored', () => {
    const decisions = [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z'), withdrawn('far', '2024-10-01T10:00:01Z')];
    expect(consent({ decisions }).valid).toBe(true);
    const future = consent({ purpose: { guardianRule: 'any' }, decisions: [given('mor', '2024-10-01T10:00:01Z')] });
    expect(future.reasons).toEqual(['NO_CONSENT']);
  });
});

describe('what the result tells', () => {
  it('decisionIds lists exactly the decisions relied on: the latest of each guardian, not their history', () => {
    const old = given('mor', '2024-08-20T08:00:00Z');
    const mor = given('mor', '2024-09-01T08:00:00Z');
    const far = given('far', '2024-09-01T09:00:00Z');
    const stranger = given('nabo', '2024-09-01T10:00:00Z');
    const result = consent({ decisions: [old, mor, far, stranger] });
    expect(result.decisionIds).toEqual([mor.id, far.id].sort());
    expect(result.answers).toEqual([
      { deciderId: 'far', state: 'given', decisionId: far.id, validUntil: '2025-07-31' },
      { deciderId: 'mor', state: 'given', decisionId: mor.id, validUntil: '2025-07-31' },
    ]);
  });

  it('decisionIds includes the refusal that blocks', () => {
    const no = refused('far', '2024-09-01T09:00:00Z');
    const result = consent({ decisions: [given('mor', '2024-09-01T08:00:00Z'), no] });
    expect(result.decisionIds).toContain(no.id);
  });

  it('every reason that applies is listed, not only the first: CHILD_OBJECTS and PROTECTED together', () => {
    const result = consent({
      decisions: [given('mor', '2024-09-01T08:00:00Z'), given('far', '2024-09-01T09:00:00Z')],
      views: [{ purposeId: null, objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') }],
      protection: [{ protected: true, at: new Date('2024-09-15T08:00:00Z') }],
      privileged: true,
    });
    expect(result.reasons).toEqual(['CHILD_OBJECTS', 'PROTECTED']);
  });

  it('a refusal, an objection, protection and leaving are all listed at once', () => {
    const result = consent({
      decisions: [refused('mor', '2024-09-01T08:00:00Z')],
      views: [{ purposeId: 'web', objects: true, recordedAt: new Date('2024-09-10T08:00:00Z') }],
      protection: [{ protected: true, at: new Date('2024-09-15T08:00:00Z') }],
      memberships: [{ unitId: 'solsikken', from: '2023-08-15', to: '2024-09-30' }],
    });
    expect(result.reasons).toEqual(['CHILD_OBJECTS', 'CONSENT_REFUSED', 'LEFT_UNIT', 'NOT_PUBLISHABLE']);
  });
});

describe('helpers of the rule', () => {
  it('selfConsentFrom is the birthday at the self-consent age', () => {
    expect(selfConsentFrom('2009-11-20', 15)).toBe('2024-11-20');
    expect(selfConsentFrom('2008-02-29', 15)).toBe('2023-03-01');
    expect(selfConsentFrom('2008-02-29', 16)).toBe('2024-02-29');
  });

  it('currentStint joins memberships that follow each other or overlap, and finds none across a gap', () => {
    const memberships = [
      { unitId: 'u', from: '2024-01-01', to: '2024-03-31' },
      { unitId: 'u', from: '2024-04-01', to: '2024-06-30' },
      { unitId: 'u', from: '2024-05-01', to: '2024-05-31' },
      { unitId: 'u', from: '2024-08-15', to: null },
    ];
    expect(currentStint(memberships, '2024-06-30')).toEqual({ from: '2024-01-01', to: '2024-06-30' });
    expect(currentStint(memberships, '2024-07-01')).toBeNull();
    expect(currentStint(memberships, '2025-01-01')).toEqual({ from: '2024-08-15', to: null });
    expect(currentStint([], '2025-01-01')).toBeNull();
  });

  it('isProtected and childObjects are false when nothing has been recorded', () => {
    expect(isProtected([], AUTUMN)).toBe(false);
    expect(childObjects([], 'web', AUTUMN)).toBe(false);
  });
});
