import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusKind } from '../../components/ui';
import type { Language } from '../../i18n';
import { fullName } from '../../lib/format';
import type { Audience, Channel, GateReason, GateReasonCode, PublicationStatus, Purpose } from '../../types/api';

/** "Olas", "Lukas'", "Ola's": whose guardians, in each language. */
export function possessive(name: string, language: Language): string {
  if (!name) return name;
  if (language === 'en') return `${name}’s`;
  return /[sxz]$/i.test(name) ? `${name}’` : `${name}s`;
}

const known = new Set<GateReasonCode>([
  'NO_CONSENT',
  'CONSENT_REFUSED',
  'CONSENT_WITHDRAWN',
  'CONSENT_EXPIRED',
  'AWAITING_GUARDIAN',
  'NOTICE_CHANGED',
  'CHILD_OBJECTS',
  'NOT_PUBLISHABLE',
  'PROTECTED',
  'LEFT_UNIT',
  'UNKNOWN_PERSON',
  'NOT_TAGGED',
  'PORTRAIT_NOT_ALLOWED',
  'REVIEW_REQUIRED',
  'PHOTO_NOT_READY',
]);

export type ReasonWords = { text: string; fix: string };

/** Each reason of the gate as a plain sentence and what would fix it. */
export function useReasonWords() {
  const { t, i18n } = useTranslation();
  return useCallback(
    (reason: GateReason, channel: string): ReasonWords => {
      const language = (i18n.resolvedLanguage ?? 'nb') as Language;
      const name = reason.person?.firstName ?? '';
      const vars = { name, owner: possessive(name, language), fullName: reason.person ? fullName(reason.person) : '', channel };
      if (reason.code === 'FULL_NAME_IN_TEXT' || reason.code === 'NAME_NOT_ALLOWED') {
        const field = reason.field ?? 'caption';
        return {
          text: t(`publishing.reason.${reason.code}.text.${field}`, vars),
          fix: t(`publishing.reason.${reason.code}.fix.${field}`, vars),
        };
      }
      const code = known.has(reason.code) ? (reason.code as Exclude<GateReasonCode, 'FULL_NAME_IN_TEXT' | 'NAME_NOT_ALLOWED'>) : 'unknown';
      return { text: t(`publishing.reason.${code}.text`, vars), fix: t(`publishing.reason.${code}.fix`, vars) };
    },
    [t, i18n.resolvedLanguage],
  );
}

/** Blocking reasons first (what must change), the leader's review last (what happens next). */
export function sortReasons(reasons: readonly GateReason[]): GateReason[] {
  return [...reasons].sort((a, b) => Number(a.code === 'REVIEW_REQUIRED') - Number(b.code === 'REVIEW_REQUIRED'));
}

export function statusKindOf(status: PublicationStatus): StatusKind {
  return status === 'published' ? 'yes' : status === 'pending_review' ? 'pending' : 'no';
}

const audienceOrder: readonly Audience[] = ['internal', 'closed', 'public', 'press'];

/** Channels a photo of this unit can go to: active ones of the unit or the whole organisation, closest audience first. */
export function channelsForUnit(channels: readonly Channel[], purposes: readonly Purpose[], unitId: string) {
  const purposeOf = new Map(purposes.map((p) => [p.id, p]));
  return channels
    .filter((c) => c.active && (c.unitId === null || c.unitId === unitId))
    .flatMap((channel) => {
      const purpose = purposeOf.get(channel.purposeId);
      return purpose ? [{ channel, purpose }] : [];
    })
    .sort(
      (a, b) =>
        audienceOrder.indexOf(a.purpose.audience) - audienceOrder.indexOf(b.purpose.audience) ||
        Number(a.channel.unitId === null) - Number(b.channel.unitId === null) ||
        a.channel.name.localeCompare(b.channel.name),
    );
}

export const needsReview = (audience: Audience) => audience === 'public' || audience === 'press';

/** Why a publication was taken down, in words. */
export function useUnpublishReason() {
  const { t } = useTranslation();
  return useCallback(
    (reason: string | null) => {
      const keys = [
        'consent_withdrawn',
        'consent_refused',
        'consent_no_longer_valid',
        'left_unit',
        'protected',
        'child_objects',
        'tags_changed',
        'photo_changed',
        'manual',
        'guardian_request',
      ] as const;
      const key = keys.find((k) => k === reason) ?? 'other';
      return t(`publishing.unpublishReason.${key}`);
    },
    [t],
  );
}
