import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Disclosure, LiveRegion, Notice, SectionHeading, StatusIcon, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { fullName } from '../../lib/format';
import type { ConsentDecision, ConsentQuestion, PurposeConsent } from '../../types/api';
import { AnswerForm } from './AnswerForm';
import { answer, withdraw } from './consent.api';
import { purposeName, useAnswerWords, useStateSentences } from './consent-words';
import type { Viewpoint } from './consent-words';
import { NoticeView } from './NoticeView';

type Props = {
  personId: string;
  entry: PurposeConsent;
  view: Viewpoint;
  canDecide: boolean;
  history: readonly ConsentDecision[];
  /** Fetches the person's consents again and shows them; resolves when the page is up to date. */
  refresh: () => Promise<void>;
};

/** The occasions a per-occasion purpose has been answered for, each with its latest answer. */
function occasionAnswers(history: readonly ConsentDecision[], me: string | null) {
  const latest = new Map<string, ConsentDecision>();
  // History is newest first: the first seen per occasion and question is the latest.
  for (const decision of history) {
    if (!decision.occasion) continue;
    const key = `${decision.occasion}|${decision.question}`;
    if (!latest.has(key)) latest.set(key, decision);
  }
  return [...latest.values()].map((decision) => ({ decision, mine: decision.decidedBy.id === me || decision.decidedBy.role === 'self' }));
}

export function PurposeCard({ personId, entry, view, canDecide, history, refresh }: Props) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const stateSentences = useStateSentences();
  const answerWords = useAnswerWords();
  const headingId = useId();
  const { purpose, notice, questions } = entry;
  const name = purposeName(purpose, language);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);

  const questionLabel = (question: ConsentQuestion) => t(`consent.question.${question}`);
  const questionText = (question: ConsentQuestion) =>
    view.self ? t(`consent.question.${question}Self`) : t(`consent.question.${question}Guardian`, { name: view.childName });

  // Something to withdraw: a yes that counts now, or the person's own yes still waiting for the other guardian.
  const withdrawable = purpose.perOccasion
    ? []
    : questions.filter((q) => q.state.valid || q.myAnswer === 'given' || q.state.answers.some((a) => a.state === 'given'));

  async function give(question: ConsentQuestion, decision: 'given' | 'refused'): Promise<boolean> {
    if (!notice) return false;
    setMessage(null);
    setFailure(null);
    try {
      await answer(personId, { purposeId: purpose.id, question, decision, noticeVersion: notice.version, lang: language });
    } catch (error) {
      if (isApiError(error, 'NOTICE_OUTDATED')) {
        setFailure(t('consent.card.noticeOutdated'));
        await refresh().catch(() => undefined);
        return true;
      }
      setFailure(errorText(error));
      return false;
    }
    await refresh().catch(() => undefined);
    setMessage(
      t(decision === 'given' ? 'consent.card.savedYes' : 'consent.card.savedNo', { question: t(`consent.questionWord.${question}`), purpose: name }),
    );
    return true;
  }

  async function withdrawAll(occasion?: { question: ConsentQuestion; occasion: string }) {
    if (withdrawing) return;
    setWithdrawing(true);
    setMessage(null);
    setFailure(null);
    try {
      const targets = occasion ? [occasion] : withdrawable.map((q) => ({ question: q.question, occasion: undefined }));
      for (const target of targets) {
        await withdraw(personId, purpose.id, { question: target.question, lang: language, ...(target.occasion ? { occasion: target.occasion } : {}) });
      }
      await refresh().catch(() => undefined);
      setMessage(t('consent.card.withdrawn', { purpose: name }));
    } catch (error) {
      await refresh().catch(() => undefined);
      setFailure(errorText(error));
    } finally {
      setWithdrawing(false);
    }
  }

  const answered = questions.some((q) => q.myAnswer !== null);
  // Who answered what, when there is more than one who decides and someone has answered.
  const showAnswers = (q: (typeof questions)[number]) => !view.self && q.state.answers.length > 1 && q.state.answers.some((a) => a.state !== 'none');

  return (
    <section className="purpose-card panel" aria-labelledby={headingId} data-purpose={purpose.code}>
      <SectionHeading id={headingId}>{name}</SectionHeading>
      <ul className="question-states">
        {questions.map((q) => {
          const { kind, sentences } = stateSentences(q.state, view);
          return (
            <li key={q.question} className="question-state">
              <StatusIcon kind={purpose.perOccasion ? 'pending' : kind} />
              <div>
                <span className="question-state__label">{questionLabel(q.question)}: </span>
                {purpose.perOccasion ? t('consent.card.perOccasionState') : sentences.join(' ')}
                {showAnswers(q) && !purpose.perOccasion && (
                  <span className="question-state__answers">
                    {' '}
                    {q.state.answers
                      .map((a) =>
                        t('consent.card.answerBy', {
                          name: a.decider.id === view.me ? t('consent.card.you', { name: fullName(a.decider) }) : fullName(a.decider),
                          answer: answerWords(a.state, a.validUntil),
                        }),
                      )
                      .join(' ')}
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {purpose.perOccasion && <Text>{t('consent.card.perOccasionNote')}</Text>}
      {purpose.perOccasion && (
        <OccasionList
          answers={occasionAnswers(history, view.me)}
          canDecide={canDecide}
          busy={withdrawing}
          onWithdraw={(question, occasion) => void withdrawAll({ question, occasion })}
        />
      )}
      {canDecide && withdrawable.length > 0 && (
        <div>
          <Button variant="secondary" onClick={() => void withdrawAll()} busy={withdrawing} busyLabel={t('consent.card.withdrawing')}>
            {t('consent.card.withdraw')}
            <span className="ds-sr-only"> – {name}</span>
          </Button>
        </div>
      )}
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
      <Disclosure summary={canDecide && notice && !purpose.perOccasion ? (answered ? t('consent.card.readAndChange') : t('consent.card.readAndAnswer')) : t('consent.card.read')}>
        <div className="stack">
          {notice ? <NoticeView notice={notice} /> : <Text>{t('consent.card.noNotice')}</Text>}
          {canDecide &&
            notice &&
            !purpose.perOccasion &&
            questions.map((q) => (
              <AnswerForm
                key={`${q.question}-${notice.version}`}
                question={q.question}
                legend={questionText(q.question)}
                current={q.myAnswer ? t(`consent.myAnswer.${q.myAnswer}`) : null}
                context={`${questionLabel(q.question)}, ${name}`}
                onAnswer={(decision) => give(q.question, decision)}
              />
            ))}
        </div>
      </Disclosure>
    </section>
  );
}

function OccasionList({
  answers,
  canDecide,
  busy,
  onWithdraw,
}: {
  answers: { decision: ConsentDecision; mine: boolean }[];
  canDecide: boolean;
  busy: boolean;
  onWithdraw: (question: ConsentQuestion, occasion: string) => void;
}) {
  const { t } = useTranslation();
  if (answers.length === 0) return null;
  return (
    <ul className="occasion-list">
      {answers.map(({ decision }) => (
        <li key={decision.id}>
          <span>
            {t('consent.card.occasion', {
              occasion: decision.occasion,
              question: t(`consent.questionWord.${decision.question}`),
              answer: t(`consent.myAnswer.${decision.decision}`),
            })}
          </span>
          {canDecide && decision.decision === 'given' && (
            <Button variant="tertiary" data-size="sm" busy={busy} onClick={() => onWithdraw(decision.question, decision.occasion ?? '')}>
              {t('consent.card.withdraw')}
              <span className="ds-sr-only"> – {decision.occasion}</span>
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
