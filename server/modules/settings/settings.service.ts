import type { Executor } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import type { MonthDay } from '../../domain/school-year.js';
import { requireRole } from '../access/guards.js';
import { audit } from '../audit/audit.service.js';
import { findOrganisationSettings, upsertOrganisationSettings } from './settings.repository.js';

/** The rules' settings for one organisation: its own choices, else the environment's defaults. */
export interface OrganisationSettings {
  selfConsentAge: number;
  schoolYearEnd: MonthDay;
  takedownDueHours: number;
  retentionUnpublishedDays: number;
}

export interface SettingsDto {
  selfConsentAge: number;
  /** MM-DD */
  schoolYearEnd: string;
  takedownDueHours: number;
  retentionUnpublishedDays: number;
  /** Which values the organisation set itself (the rest come from the server's defaults). */
  overridden: (keyof Omit<SettingsDto, 'overridden' | 'defaults'>)[];
  /** The server's defaults, which a null setting returns to. */
  defaults: { selfConsentAge: number; schoolYearEnd: string; takedownDueHours: number; retentionUnpublishedDays: number };
}

const mmdd = (m: MonthDay) => `${String(m.month).padStart(2, '0')}-${String(m.day).padStart(2, '0')}`;

export async function settingsFor(ctx: AppContext, db: Executor, organisationId: string): Promise<OrganisationSettings> {
  const row = await findOrganisationSettings(db, organisationId);
  const end = row?.school_year_end?.split('-').map(Number);
  return {
    selfConsentAge: row?.self_consent_age ?? ctx.config.selfConsentAge,
    schoolYearEnd: end ? { month: end[0]!, day: end[1]! } : ctx.config.schoolYearEnd,
    takedownDueHours: row?.takedown_due_hours ?? ctx.config.takedownDueHours,
    retentionUnpublishedDays: row?.retention_unpublished_days ?? ctx.config.retentionUnpublishedDays,
  };
}

export async function getSettings(ctx: AppContext, actor: Actor): Promise<SettingsDto> {
  const row = await findOrganisationSettings(ctx.db, actor.organisationId);
  const s = await settingsFor(ctx, ctx.db, actor.organisationId);
  const overridden: SettingsDto['overridden'] = [];
  if (row?.self_consent_age != null) overridden.push('selfConsentAge');
  if (row?.school_year_end != null) overridden.push('schoolYearEnd');
  if (row?.takedown_due_hours != null) overridden.push('takedownDueHours');
  if (row?.retention_unpublished_days != null) overridden.push('retentionUnpublishedDays');
  const c = ctx.config;
  return {
    ...s,
    schoolYearEnd: mmdd(s.schoolYearEnd),
    overridden,
    defaults: { selfConsentAge: c.selfConsentAge, schoolYearEnd: mmdd(c.schoolYearEnd), takedownDueHours: c.takedownDueHours, retentionUnpublishedDays: c.retentionUnpublishedDays },
  };
}

export interface SettingsChange {
  selfConsentAge?: number | null;
  schoolYearEnd?: string | null;
  takedownDueHours?: number | null;
  retentionUnpublishedDays?: number | null;
}

/** Changes the organisation's settings; null returns a value to the server default. */
export async function updateSettings(ctx: AppContext, actor: Actor, change: SettingsChange): Promise<SettingsDto> {
  await requireRole(ctx, actor, ['admin'], 'settings', actor.organisationId);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findOrganisationSettings(trx, actor.organisationId);
    const pick = <K extends keyof SettingsChange>(k: K, current: SettingsChange[K] | undefined) => (change[k] === undefined ? (current ?? null) : change[k]);
    await upsertOrganisationSettings(
      trx,
      actor.organisationId,
      {
        self_consent_age: pick('selfConsentAge', row?.self_consent_age) as number | null,
        school_year_end: pick('schoolYearEnd', row?.school_year_end) as string | null,
        takedown_due_hours: pick('takedownDueHours', row?.takedown_due_hours) as number | null,
        retention_unpublished_days: pick('retentionUnpublishedDays', row?.retention_unpublished_days) as number | null,
      },
      actor.accountId,
      ctx.clock.now().toISOString(),
    );
    await audit(ctx, trx, actor, { action: 'settings.updated', objectType: 'organisation', objectId: actor.organisationId, payload: { changed: Object.keys(change) } });
  });
  return getSettings(ctx, actor);
}
