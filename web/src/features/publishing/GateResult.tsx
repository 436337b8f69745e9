import { useTranslation } from 'react-i18next';
import { Loading, SectionHeading, StatusIcon } from '../../components/ui';
import type { StatusKind } from '../../components/ui';
import type { Gate } from '../../types/api';
import { sortReasons, useReasonWords } from './publishing-words';

export type GateState = { status: 'idle' } | { status: 'checking'; previous: Gate | null } | { status: 'ready'; gate: Gate } | { status: 'failed'; message: string };

/** The verdict in one line: can it go now, after a leader's review, or not yet. */
export function useGateVerdict() {
  const { t } = useTranslation();
  return (gate: Gate, reviewing = false): { kind: StatusKind; text: string } => {
    if (gate.allowed) return { kind: 'yes', text: t('publishing.gate.allowed') };
    if (gate.needsReview) return { kind: 'pending', text: reviewing ? t('publishing.gate.allowedWhenApproved') : t('publishing.gate.needsReview') };
    return { kind: 'no', text: t('publishing.gate.refused', { count: gate.reasons.filter((r) => r.code !== 'REVIEW_REQUIRED').length }) };
  };
}

/**
 * The gate's answer with every reason in plain words and what would fix it. `reviewing`: shown to
 * the leader who is about to approve, for whom "a leader must approve" is what they are doing.
 */
export function GateResult({
  state,
  channelName,
  headingId,
  reviewing = false,
  headingLevel = 3,
}: {
  state: GateState;
  channelName: string;
  headingId: string;
  reviewing?: boolean;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const reasonWords = useReasonWords();
  const verdict = useGateVerdict();
  const gate = state.status === 'ready' ? state.gate : state.status === 'checking' ? state.previous : null;
  return (
    <section className="gate-result" aria-labelledby={headingId} aria-busy={state.status === 'checking'}>
      <SectionHeading level={headingLevel} id={headingId} size="xs">
        {t('publishing.gate.heading')}
      </SectionHeading>
      {state.status === 'idle' && <p className="subtle">{t('publishing.gate.chooseChannel')}</p>}
      {state.status === 'failed' && (
        <p className="icon-text">
          <StatusIcon kind="pending" />
          <span>{state.message}</span>
        </p>
      )}
      {state.status === 'checking' && !gate && <Loading label={t('publishing.gate.checking')} />}
      {gate && (
        <>
          <p className="icon-text gate-result__verdict" data-verdict={verdict(gate, reviewing).kind}>
            <StatusIcon kind={verdict(gate, reviewing).kind} />
            <strong>{verdict(gate, reviewing).text}</strong>
          </p>
          {gate.reasons.length > 0 && (
            <ul className="gate-reasons">
              {sortReasons(gate.reasons)
                .filter((reason) => !(reviewing && reason.code === 'REVIEW_REQUIRED'))
                .map((reason, index) => {
                  const words = reasonWords(reason, channelName);
                  return (
                    <li key={`${reason.code}-${reason.person?.id ?? ''}-${reason.field ?? ''}-${index}`} className="gate-reason" data-code={reason.code}>
                      <StatusIcon kind={reason.code === 'REVIEW_REQUIRED' ? 'pending' : 'no'} />
                      <span>
                        <span className="gate-reason__text">{words.text}</span> <span className="gate-reason__fix">{words.fix}</span>
                      </span>
                    </li>
                  );
                })}
            </ul>
          )}
          {state.status === 'checking' && <p className="subtle">{t('publishing.gate.checking')}</p>}
        </>
      )}
    </section>
  );
}
