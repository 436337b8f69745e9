import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import {
  Button,
  CheckboxField,
  CheckboxGroup,
  DataTable,
  Disclosure,
  FormErrors,
  LiveRegion,
  Notice,
  PageHeading,
  Panel,
  SectionHeading,
  SelectField,
  StatusIcon,
  Text,
} from '../../components/ui';
import type { Language } from '../../i18n';
import { isLanguage, languages } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { formatDateTime, fullName } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { ConsentRound, Purpose, RoundReason } from '../../types/api';
import { roundReasons } from '../../types/api';
import { fetchPurposes, fetchRounds, fetchUnits, remindRound, startRound } from './consent.api';
import { purposeName } from './consent-words';

/** Leaders ask every guardian (and pupil of 15+) of their unit to answer, and follow who has. */
export function RoundsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const units = useResource(async (signal) => {
    const all = await fetchUnits(signal);
    return user.role === 'admin' ? all : all.filter((unit) => unit.id === user.unitId);
  }, [user.role, user.unitId]);
  const [chosenUnit, setChosenUnit] = useState('');

  return (
    <div className="stack">
      <PageHeading>{t('consent.rounds.title')}</PageHeading>
      <Text>{t('consent.rounds.intro')}</Text>
      <ResourceView resource={units}>
        {(list) => {
          const unitId = chosenUnit || list[0]?.id || '';
          if (!unitId) return <Text>{t('home.noUnit')}</Text>;
          return (
            <>
              {list.length > 1 && (
                <SelectField
                  id="rounds-unit"
                  label={t('consent.rounds.unit')}
                  value={unitId}
                  onChange={(event) => setChosenUnit(event.target.value)}
                  options={list.map((unit) => ({ value: unit.id, label: unit.name }))}
                />
              )}
              <UnitRounds key={unitId} unitId={unitId} />
            </>
          );
        }}
      </ResourceView>
    </div>
  );
}

function UnitRounds({ unitId }: { unitId: string }) {
  const { t } = useTranslation();
  const data = useResource(async (signal) => {
    const [purposes, rounds] = await Promise.all([fetchPurposes(signal), fetchRounds(unitId, signal)]);
    return { purposes: purposes.filter((purpose) => purpose.active), rounds };
  }, [unitId]);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <ResourceView resource={data}>
      {({ purposes, rounds }) => {
        const sorted = [...rounds].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
        const replace = (round: ConsentRound) => {
          if (data.status !== 'ready') return;
          const others = data.data.rounds.filter((candidate) => candidate.id !== round.id);
          data.set({ purposes, rounds: [...others, round] });
        };
        return (
          <>
            <StartRoundForm
              unitId={unitId}
              purposes={purposes}
              onStarted={(round) => {
                replace(round);
                setMessage(
                  t('consent.rounds.started', { count: round.recipients }) +
                    (round.unreachable > 0 ? ` ${t('consent.rounds.unreachable', { count: round.unreachable })}` : ''),
                );
              }}
            />
            <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
            <section aria-labelledby="rounds-list" className="stack">
              <SectionHeading id="rounds-list">{t('consent.rounds.listHeading')}</SectionHeading>
              {sorted.length === 0 ? (
                <Text>{t('consent.rounds.none')}</Text>
              ) : (
                sorted.map((round, index) => <RoundPanel key={round.id} round={round} purposes={purposes} open={index === 0} onReminded={replace} />)
              )}
            </section>
          </>
        );
      }}
    </ResourceView>
  );
}

function StartRoundForm({ unitId, purposes, onStarted }: { unitId: string; purposes: readonly Purpose[]; onStarted: (round: ConsentRound) => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const headingId = useId();
  // Press consent is asked per occasion, not in a round.
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(purposes.filter((p) => !p.perOccasion).map((p) => p.id)));
  const [reason, setReason] = useState<RoundReason | ''>('');
  const [mailLanguage, setMailLanguage] = useState<Language>(language);
  const [errors, setErrors] = useState<{ purposes?: string; reason?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: typeof errors = {};
    if (chosen.size === 0) found.purposes = t('consent.rounds.purposesRequired');
    if (!reason) found.reason = t('consent.rounds.reasonRequired');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0 || !reason) return;
    setBusy(true);
    try {
      onStarted(await startRound({ unitId, purposeIds: purposes.filter((p) => chosen.has(p.id)).map((p) => p.id), reason, lang: mailLanguage }));
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  const summary = [
    ...(errors.purposes ? [{ fieldId: `round-purpose-${purposes[0]?.id ?? ''}`, message: errors.purposes }] : []),
    ...(errors.reason ? [{ fieldId: 'round-reason', message: errors.reason }] : []),
  ];

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('consent.rounds.startHeading')}</SectionHeading>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Text>{t('consent.rounds.startIntro')}</Text>
        <FormErrors key={attempt} errors={summary} />
        <CheckboxGroup legend={t('consent.rounds.purposes')} description={t('consent.rounds.purposesHint')} error={errors.purposes}>
          {purposes.map((purpose) => (
            <CheckboxField
              key={purpose.id}
              id={`round-purpose-${purpose.id}`}
              label={purposeName(purpose, language)}
              checked={chosen.has(purpose.id)}
              onChange={(event) => {
                const next = new Set(chosen);
                if (event.target.checked) next.add(purpose.id);
                else next.delete(purpose.id);
                setChosen(next);
              }}
            />
          ))}
        </CheckboxGroup>
        <SelectField
          id="round-reason"
          label={t('consent.rounds.reason')}
          value={reason}
          onChange={(event) => setReason(roundReasons.find((r) => r === event.target.value) ?? '')}
          options={[{ value: '', label: t('consent.rounds.chooseReason') }, ...roundReasons.map((r) => ({ value: r, label: t(`consent.rounds.reasons.${r}`) }))]}
          error={errors.reason}
        />
        <SelectField
          id="round-language"
          label={t('consent.rounds.mailLanguage')}
          value={mailLanguage}
          onChange={(event) => isLanguage(event.target.value) && setMailLanguage(event.target.value)}
          options={languages.map((l) => ({ value: l, label: t(`languages.${l}`), lang: l }))}
        />
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <div>
          <Button type="submit" busy={busy} busyLabel={t('consent.rounds.starting')}>
            {t('consent.rounds.start')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function RoundPanel({ round, purposes, open, onReminded }: { round: ConsentRound; purposes: readonly Purpose[]; open: boolean; onReminded: (round: ConsentRound) => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const headingId = useId();
  const progressId = useId();
  const [mailLanguage, setMailLanguage] = useState<Language>(language);
  const [message, setMessage] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const names = new Map(purposes.map((purpose) => [purpose.id, purposeName(purpose, language)]));
  const { totals } = round;

  async function remind() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const updated = await remindRound(round.id, mailLanguage);
      onReminded(updated);
      setMessage({ tone: 'success', text: t('consent.rounds.reminded', { count: updated.reminded }) });
    } catch (caught) {
      setMessage({ tone: 'danger', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading level={3} id={headingId}>
        {t('consent.rounds.roundTitle', { date: formatDateTime(round.startedAt, language), reason: t(`consent.rounds.reasons.${round.reason}`) })}
      </SectionHeading>
      <Text>{t('consent.rounds.askedAbout', { purposes: round.purposeIds.map((id) => names.get(id) ?? '?').join(', ') })}</Text>
      <div className="stack-tight">
        <p id={progressId} className="round-progress__text">
          {t('consent.rounds.progress', { answered: totals.answered, count: totals.children, notAnswered: totals.notAnswered })}
        </p>
        <progress className="round-progress" value={totals.answered} max={Math.max(totals.children, 1)} aria-labelledby={progressId} />
        <p className="subtle">
          {t('consent.rounds.recipients', { count: round.recipients })}
          {round.unreachable > 0 && <> {t('consent.rounds.unreachable', { count: round.unreachable })}</>}
        </p>
      </div>
      {totals.notAnswered > 0 && (
        <div className="form form-inline">
          <SelectField
            id={`remind-language-${round.id}`}
            label={t('consent.rounds.mailLanguage')}
            value={mailLanguage}
            onChange={(event) => isLanguage(event.target.value) && setMailLanguage(event.target.value)}
            options={languages.map((l) => ({ value: l, label: t(`languages.${l}`), lang: l }))}
          />
          <div>
            <Button variant="secondary" onClick={() => void remind()} busy={busy} busyLabel={t('consent.rounds.reminding')}>
              {t('consent.rounds.remind')}
            </Button>
          </div>
        </div>
      )}
      <LiveRegion>{message && <Notice tone={message.tone}>{message.text}</Notice>}</LiveRegion>
      <Disclosure summary={t('consent.rounds.childrenSummary', { count: round.children.length })} defaultOpen={open}>
        <DataTable
          caption={t('consent.rounds.childrenCaption')}
          rows={round.children}
          rowKey={(child) => child.person.id}
          columns={[
            { key: 'name', header: t('consent.rounds.child'), rowHeader: true, cell: (child) => fullName(child.person) },
            {
              key: 'status',
              header: t('consent.rounds.status'),
              cell: (child) => (
                <span className="icon-text">
                  <StatusIcon kind={child.answered ? 'yes' : 'pending'} />
                  {child.answered ? t('consent.rounds.answered') : t('consent.rounds.awaiting', { count: child.awaiting })}
                </span>
              ),
            },
            {
              key: 'valid',
              header: t('consent.rounds.validFor'),
              cell: (child) => t('consent.rounds.validCount', { valid: child.purposes.filter((p) => p.valid).length, count: child.purposes.length }),
            },
          ]}
        />
      </Disclosure>
    </Panel>
  );
}
