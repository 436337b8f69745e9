import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, RadioGroup } from '../../components/ui';
import type { ConsentQuestion } from '../../types/api';

/**
 * One question with two equal answers. Nothing is chosen in advance, and the answer counts
 * only when the person saves it (and the server has said it is saved).
 */
export function AnswerForm({
  question,
  legend,
  current,
  context,
  onAnswer,
}: {
  question: ConsentQuestion;
  legend: string;
  /** The person's own answer now, in words, or null. */
  current: string | null;
  /** Read after the button's text by screen readers, which page through buttons out of context. */
  context: string;
  /** Resolves when the answer is saved and the page shows the new state; rejects on failure. */
  onAnswer: (decision: 'given' | 'refused') => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const name = useId();
  const [choice, setChoice] = useState<'given' | 'refused' | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!choice) {
      setError(t('consent.answerForm.choose'));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      // Cleared once saved: the state above says what was answered, the form asks afresh.
      if (await onAnswer(choice)) setChoice(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="answer-form" noValidate onSubmit={submit} data-question={question}>
      <RadioGroup
        name={name}
        legend={legend}
        description={current ? t('consent.answerForm.current', { answer: current }) : undefined}
        options={[
          { value: 'given', label: t('common.yes') },
          { value: 'refused', label: t('common.no') },
        ]}
        value={choice}
        onChange={(value) => {
          setChoice(value === 'given' ? 'given' : 'refused');
          setError(undefined);
        }}
        error={error}
        inline
      />
      <div>
        <Button type="submit" variant="secondary" busy={busy} busyLabel={t('consent.answerForm.saving')}>
          {t('consent.answerForm.save')}
          <span className="ds-sr-only"> – {context}</span>
        </Button>
      </div>
    </form>
  );
}
