import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatusKind } from '../../components/ui';
import type { Language } from '../../i18n';
import { currentLanguage } from '../../i18n';
import { formatLongDate, fullName } from '../../lib/format';
import type { AnswerState, ConsentState, OverviewCell, Purpose, ReasonCode } from '../../types/api';

/** Reasons that stop a consent whatever anyone answers next; the rest are "not (yet) answered". */
const blocking = new Set<ReasonCode>(['CONSENT_REFUSED', 'CONSENT_WITHDRAWN', 'CHILD_OBJECTS', 'NOT_PUBLISHABLE', 'PROTECTED', 'LEFT_UNIT']);

// The order sentences are read in: what someone said first, then what is missing.
const order: readonly ReasonCode[] = [
  'CONSENT_REFUSED',
  'CONSENT_WITHDRAWN',
  'CHILD_OBJECTS',
  'NOT_PUBLISHABLE',
  'PROTECTED',
  'LEFT_UNIT',
  'NOTICE_CHANGED',
  'CONSENT_EXPIRED',
  'AWAITING_GUARDIAN',
  'NO_CONSENT',
];

export function statusKind(valid: boolean, reasons: readonly ReasonCode[]): StatusKind {
  if (valid) return 'yes';
  return reasons.some((reason) => blocking.has(reason)) ? 'no' : 'pending';
}

export function purposeName(purpose: Pick<Purpose, 'name'>, language: Language = currentLanguage()): string {
  return purpose.name[language] || purpose.name.nb;
}

export type Viewpoint = {
  /** The signed-in person's id: their own answers are "you". */
  me: string | null;
  /** The person decides for themself (15+): sentences speak to them. */
  self: boolean;
  /** The first name of the person the consent is about, for sentences to a guardian. */
  childName: string;
};

/** The consent state in whole sentences, as a guardian or a pupil reads it. */
export function useStateSentences() {
  const { t, i18n } = useTranslation();
  return useCallback(
    (state: ConsentState, view: Viewpoint): { kind: StatusKind; sentences: string[] } => {
      const language = (i18n.resolvedLanguage ?? 'nb') as Language;
      const kind = statusKind(state.valid, state.reasons);
      if (state.valid) {
        return {
          kind,
          sentences: [state.validUntil ? t('consent.state.validUntil', { date: formatLongDate(state.validUntil, language) }) : t('consent.state.valid')],
        };
      }
      const namesWith = (answer: AnswerState) => state.answers.filter((a) => a.state === answer);
      const sentences: string[] = [];
      for (const reason of order) {
        if (!state.reasons.includes(reason)) continue;
        switch (reason) {
          case 'CONSENT_REFUSED':
          case 'CONSENT_WITHDRAWN': {
            const who = namesWith(reason === 'CONSENT_REFUSED' ? 'refused' : 'withdrawn');
            const key = reason === 'CONSENT_REFUSED' ? 'refused' : 'withdrawn';
            for (const answer of who) {
              sentences.push(
                answer.decider.id === view.me || view.self
                  ? t(`consent.state.${key}ByYou`)
                  : t(`consent.state.${key}By`, { name: fullName(answer.decider) }),
              );
            }
            if (who.length === 0) sentences.push(t(`consent.state.${key}`));
            break;
          }
          case 'AWAITING_GUARDIAN': {
            const others = state.awaiting.filter((person) => person.id !== view.me);
            const meToo = state.awaiting.some((person) => person.id === view.me);
            if (meToo) sentences.push(t('consent.state.awaitingYou'));
            if (others.length > 0) {
              sentences.push(t('consent.state.awaitingOther', { names: others.map(fullName).join(', '), count: others.length }));
            }
            break;
          }
          case 'NO_CONSENT':
            sentences.push(view.self ? t('consent.state.noAnswerSelf') : t('consent.state.noAnswer'));
            break;
          case 'CHILD_OBJECTS':
            sentences.push(view.self ? t('consent.state.childObjectsSelf') : t('consent.state.childObjects'));
            break;
          case 'NOT_PUBLISHABLE':
            sentences.push(t('consent.state.notPublishable'));
            break;
          case 'LEFT_UNIT':
            sentences.push(view.self ? t('consent.state.leftUnitSelf') : t('consent.state.leftUnit', { name: view.childName }));
            break;
          case 'CONSENT_EXPIRED':
            sentences.push(t('consent.state.expired'));
            break;
          case 'NOTICE_CHANGED':
            sentences.push(t('consent.state.noticeChanged'));
            break;
          case 'PROTECTED':
            sentences.push(t('consent.state.protected'));
            break;
        }
      }
      return { kind, sentences };
    },
    [t, i18n.resolvedLanguage],
  );
}

/** One decider's latest answer in a few words: "ja, til 31. juli 2027", "ikke svart". */
export function useAnswerWords() {
  const { t, i18n } = useTranslation();
  return useCallback(
    (state: AnswerState, validUntil: string | null) => {
      const language = (i18n.resolvedLanguage ?? 'nb') as Language;
      if (state === 'given' && validUntil) return t('consent.answer.givenUntil', { date: formatLongDate(validUntil, language) });
      return t(`consent.answer.${state}`);
    },
    [t, i18n.resolvedLanguage],
  );
}

/** A cell of the staff overview in a few words: "Ja", "Nei", "Venter på foresatt, ny tekst". */
export function useCellWords() {
  const { t } = useTranslation();
  return useCallback(
    (cell: Pick<OverviewCell, 'valid' | 'reasons'>) => {
      if (cell.valid) return t('consent.cell.yes');
      const words = order.filter((reason) => cell.reasons.includes(reason)).map((reason) => t(`consent.cell.${reason}`));
      return words.join(', ') || t('consent.cell.NO_CONSENT');
    },
    [t],
  );
}
