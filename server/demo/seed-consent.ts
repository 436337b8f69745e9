import { randomUUID } from 'node:crypto';
import type { ConsentDecision, Lang, Trx } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { noticeHash } from '../domain/notice.js';
import { consentExpiryDate } from '../domain/school-year.js';
import { insertChannel } from '../modules/consent/channel.repository.js';
import { insertDecision, insertProtectionChange } from '../modules/consent/decision.repository.js';
import { insertNotice, insertPurpose } from '../modules/consent/purpose.repository.js';
import { DEFAULT_LONG_EDGE } from '../modules/consent/purpose.service.js';
import { DEMO_CHANNELS, DEMO_PURPOSES, noticeTextFor } from './demo-purposes.js';
import { DEMO_GUIDELINES } from './demo-guidelines.js';
import { insertAcknowledgement, insertGuideline } from '../modules/publications/guideline.repository.js';
import type { DemoChild } from './demo-roster.js';

interface ConsentSeedInput {
  organisationId: string;
  units: Record<'Solsikken barnehage' | 'Fjellet skole', string>;
  children: { id: string; demo: DemoChild; guardianIds: string[] }[];
  accountOfPerson: Map<string, string>;
  leaderAccountId: string;
  adminAccountId: string;
  /** Staff and leaders who have already confirmed the guidelines. */
  acknowledgedAccountIds: string[];
  now: Date;
}

/**
 * Purposes, notices, channels and a realistic spread of answers: most guardians have said yes
 * to the internal and closed purposes, fewer to the public ones, some have not answered, one
 * has said no, and Emma's father has answered while her mother (forelder@demo.no) has not.
 */
export async function seedDemoConsent(ctx: AppContext, trx: Trx, s: ConsentSeedInput): Promise<void> {
  const nowIso = s.now.toISOString();
  const purposeIds = new Map<string, string>();
  const notices = new Map<string, { id: string; sha256: string }>();
  for (const [i, p] of DEMO_PURPOSES.entries()) {
    const id = randomUUID();
    purposeIds.set(p.code, id);
    await insertPurpose(trx, {
      id,
      organisationId: s.organisationId,
      code: p.code,
      nameNb: p.name.nb,
      nameNn: p.name.nn,
      nameEn: p.name.en,
      audience: p.audience,
      guardianRule: p.guardianRule,
      firstNameQuestion: p.firstNameQuestion,
      perOccasion: p.perOccasion,
      sortOrder: i + 1,
      now: nowIso,
    });
    for (const lang of ['nb', 'nn', 'en'] as Lang[]) {
      const text = noticeTextFor(p, lang);
      const noticeId = randomUUID();
      const sha256 = noticeHash(p.code, 1, lang, text);
      if (lang === 'nb') notices.set(p.code, { id: noticeId, sha256 });
      await insertNotice(trx, {
        id: noticeId,
        purpose_id: id,
        version: 1,
        lang,
        material: 1,
        what: text.what,
        where_published: text.wherePublished,
        who_can_see: text.whoCanSee,
        retention: text.retention,
        withdrawal: text.withdrawal,
        contact: text.contact,
        sha256,
        created_by: s.adminAccountId,
        created_at: nowIso,
      });
    }
  }
  for (const c of DEMO_CHANNELS) {
    const purpose = DEMO_PURPOSES.find((p) => p.code === c.purpose)!;
    await insertChannel(trx, {
      id: randomUUID(),
      organisation_id: s.organisationId,
      purpose_id: purposeIds.get(c.purpose)!,
      unit_id: c.unit ? s.units[c.unit] : null,
      name: c.name,
      slug: c.slug,
      kind: c.kind,
      max_long_edge: purpose.audience === 'public' || purpose.audience === 'press' ? DEFAULT_LONG_EDGE.public : DEFAULT_LONG_EDGE.other,
      active: 1,
      now: nowIso,
    });
  }

  for (const [lang, g] of Object.entries(DEMO_GUIDELINES) as [Lang, { title: string; body: string }][]) {
    await insertGuideline(trx, { id: randomUUID(), organisationId: s.organisationId, version: 1, lang, title: g.title, body: g.body, createdBy: s.adminAccountId, now: nowIso });
  }
  for (const accountId of s.acknowledgedAccountIds) {
    await insertAcknowledgement(trx, { id: randomUUID(), accountId, organisationId: s.organisationId, version: 1, at: nowIso });
  }

  // Answers given a few weeks ago, at the start of the school year.
  const decidedAt = new Date(s.now.getTime() - 21 * 86_400_000);
  const give = async (childId: string, guardianId: string, code: string, decision: ConsentDecision['decision'] = 'given', role: ConsentDecision['decided_by_role'] = 'parent') => {
    const notice = notices.get(code)!;
    await insertDecision(trx, {
      id: randomUUID(),
      person_id: childId,
      purpose_id: purposeIds.get(code)!,
      question: 'photo',
      decision,
      decided_by_person_id: guardianId,
      decided_by_role: role,
      method: 'web',
      recorded_by_account_id: s.accountOfPerson.get(guardianId)!,
      evidence_note: null,
      notice_id: notice.id,
      notice_version: 1,
      notice_sha256: notice.sha256,
      occasion: null,
      decided_at: decidedAt.toISOString(),
      valid_until: decision === 'given' ? consentExpiryDate(decidedAt, ctx.config.schoolYearEnd) : null,
    });
  };
  for (const [i, child] of s.children.entries()) {
    const name = `${child.demo.firstName} ${child.demo.lastName}`;
    if (name === 'Jakob Nordmann') continue; // left for forelder@demo.no to answer
    if (name === 'Emma Nordmann') {
      const father = child.guardianIds.find((g) => g !== child.guardianIds[0])!;
      for (const code of ['internal', 'parent_app', 'website']) await give(child.id, father, code);
      continue;
    }
    if (child.demo.guardians.some((g) => g.role === 'child_welfare')) {
      for (const g of child.guardianIds) await give(child.id, g, 'internal', 'given', 'child_welfare');
      await insertProtectionChange(trx, { id: randomUUID(), person_id: child.id, protected: 1, changed_by_account_id: s.leaderAccountId, changed_at: nowIso });
      continue;
    }
    if (i % 6 === 5) continue; // nobody has answered yet
    for (const g of child.guardianIds) {
      await give(child.id, g, 'internal');
      await give(child.id, g, 'parent_app');
      if (i % 3 === 0) await give(child.id, g, 'website');
      if (i % 4 === 0) await give(child.id, g, 'social_media');
    }
    if (i % 7 === 3) await give(child.id, child.guardianIds[0]!, 'social_media', 'refused');
  }
}
