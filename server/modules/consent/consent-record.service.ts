import { randomUUID } from 'node:crypto';
import type { Lang, Purpose } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import type { Question } from '../../domain/consent.js';
import {
  firstEmailIn,
  toIso27560Record,
  toKantaraReceipt,
  type ConsentRecordFormat,
  type ConsentRecordInput,
  type JsonObject,
} from '../../domain/consent-record.js';
import { ageOn, osloDate } from '../../domain/dates.js';
import { audit } from '../audit/audit.service.js';
import { listMemberships } from '../roster/person.repository.js';
import { loadVisiblePerson } from '../roster/person.service.js';
import { settingsFor } from '../settings/settings.service.js';
import { findOrganisation } from '../roster/unit.repository.js';
import { listChannels } from './channel.repository.js';
import { consentFor, loadConsentFacts } from './consent-facts.js';
import { currentNotices } from './consent.mappers.js';
import { isPrivileged } from './consent.service.js';
import { listDecisions } from './decision.repository.js';
import { listNotices, listPurposes } from './purpose.repository.js';

export interface ConsentRecordExport {
  filename: string;
  contentType: string;
  body: JsonObject;
}

const questionsOf = (purpose: Purpose): Question[] => (purpose.first_name_question === 1 ? ['photo', 'first_name'] : ['photo']);

/**
 * The person's consent record in a standard format, for whoever may see the person: their
 * guardians, the person themself, and staff, leaders and admins in scope. Every export is audited.
 */
export async function exportConsentRecord(ctx: AppContext, actor: Actor, personId: string, format: ConsentRecordFormat, lang: Lang): Promise<ConsentRecordExport> {
  const person = await loadVisiblePerson(ctx, actor, personId);
  const now = ctx.clock.now();
  const decisions = await listDecisions(ctx.db, [person.id]);
  // Active purposes, and retired ones the person has answered, so the history stays whole.
  const answered = new Set(decisions.map((d) => d.purpose_id));
  const purposes = (await listPurposes(ctx.db, person.organisation_id)).filter((p) => p.active === 1 || answered.has(p.id));
  const [organisation, settings, facts, notices, memberships] = await Promise.all([
    findOrganisation(ctx.db, person.organisation_id),
    settingsFor(ctx, ctx.db, person.organisation_id),
    loadConsentFacts(ctx, ctx.db, [person.id], purposes),
    listNotices(ctx.db, purposes.map((p) => p.id)),
    listMemberships(ctx.db, [person.id]),
  ]);
  const channels = (await listChannels(ctx.db, person.organisation_id, [...new Set(memberships.map((m) => m.unit_id))])).filter((c) => c.active === 1);
  const current = currentNotices(notices, lang);
  const contactNotice = purposes.map((p) => current.get(p.id)).find((n) => n !== undefined);

  const input: ConsentRecordInput = {
    recordId: randomUUID(),
    createdAt: now.toISOString(),
    lang,
    subject: {
      id: person.id,
      child: person.kind === 'child',
      decidesSelf: person.birth_date !== null && ageOn(person.birth_date, osloDate(now)) >= settings.selfConsentAge,
    },
    // The organisation keeps only its name; how to reach it is what the notices tell people.
    controller: {
      id: person.organisation_id,
      name: organisation?.name ?? person.organisation_id,
      contact: contactNotice?.contact ?? organisation?.name ?? person.organisation_id,
      email: contactNotice ? firstEmailIn(contactNotice.contact) : null,
      country: 'NO',
    },
    purposes: purposes.map((p) => ({
      id: p.id,
      code: p.code,
      name: lang === 'en' ? p.name_en : lang === 'nn' ? p.name_nn : p.name_nb,
      audience: p.audience,
      firstNameQuestion: p.first_name_question === 1,
      active: p.active === 1,
      currentNoticeId: current.get(p.id)?.id ?? null,
      channels: channels.filter((c) => c.purpose_id === p.id).map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
      states: questionsOf(p).map((question) => {
        const s = consentFor(facts, person.id, p, question, { at: now, privileged: isPrivileged(actor) });
        return { question, valid: s.valid, reasons: s.reasons, decidedBy: s.decidedBy, validUntil: s.validUntil, decisionIds: s.decisionIds, awaiting: s.awaiting };
      }),
    })),
    notices: notices.map((n) => ({
      id: n.id,
      purposeId: n.purpose_id,
      version: n.version,
      lang: n.lang,
      material: n.material === 1,
      sha256: n.sha256,
      createdAt: n.created_at,
      what: n.what,
      wherePublished: n.where_published,
      whoCanSee: n.who_can_see,
      retention: n.retention,
      withdrawal: n.withdrawal,
      contact: n.contact,
    })),
    decisions: decisions.map((d) => ({
      id: d.id,
      purposeId: d.purpose_id,
      question: d.question,
      decision: d.decision,
      deciderId: d.decided_by_person_id,
      deciderRole: d.decided_by_role,
      method: d.method,
      recordedByAccountId: d.recorded_by_account_id,
      evidenceNote: d.evidence_note,
      occasion: d.occasion,
      noticeId: d.notice_id,
      noticeVersion: d.notice_version,
      noticeSha256: d.notice_sha256,
      decidedAt: d.decided_at,
      validUntil: d.valid_until,
    })),
    schoolYearEnd: settings.schoolYearEnd,
    baseUrl: ctx.config.publicUrl,
  };
  const body = format === 'iso27560' ? toIso27560Record(input) : toKantaraReceipt(input);

  await ctx.db.transaction().execute((trx) =>
    audit(ctx, trx, actor, { action: 'consent_record.exported', objectType: 'person', objectId: person.id, payload: { personId: person.id, format } }),
  );
  return {
    filename: `samtykke-${person.id}-${format}.json`,
    contentType: format === 'iso27560' ? 'application/ld+json' : 'application/json',
    body,
  };
}
