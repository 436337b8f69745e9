import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PhotoImage } from '../../components/PhotoImage';
import { ResourceView } from '../../components/ResourceView';
import { Button, Disclosure, FormErrors, Link, LiveRegion, Notice, PageHeading, Panel, SectionHeading, StatusIcon, Text, TextArea } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import type { Channel, Publication, Takedown } from '../../types/api';
import { fetchChannels, fetchPublications, fetchTakedowns, takedownDone } from './publishing.api';
import { useUnpublishReason } from './publishing-words';

async function loadTakedowns(signal: AbortSignal) {
  const [open, done, publications, channels] = await Promise.all([
    fetchTakedowns('open', signal),
    fetchTakedowns('done', signal),
    fetchPublications({ limit: 5000 }, signal),
    fetchChannels(signal),
  ]);
  // Most urgent first: overdue, then the nearest deadline.
  open.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt));
  done.sort((a, b) => (b.doneAt ?? '').localeCompare(a.doneAt ?? ''));
  return { open, done, publications: new Map(publications.map((p) => [p.id, p])), channels: new Map(channels.map((c) => [c.id, c])) };
}

/** Copies outside Samtykke (Facebook, print, press) that must be taken down by hand, with their deadline. */
export function TakedownsPage() {
  const { t } = useTranslation();
  const data = useResource((signal) => loadTakedowns(signal), []);
  const [message, setMessage] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  // After a task is recorded its panel goes; focus moves on to the next task, or to the list's heading.
  const focusNext = useRef<number | null>(null);
  const openCount = data.status === 'ready' ? data.data.open.length : -1;
  useEffect(() => {
    const index = focusNext.current;
    if (index === null) return;
    focusNext.current = null;
    const headings = listRef.current?.querySelectorAll<HTMLElement>('.takedown h2') ?? [];
    (headings.length > 0 ? headings[Math.min(index, headings.length - 1)] : document.getElementById('takedowns-open'))?.focus();
  }, [openCount]);

  function recorded(takedown: Takedown) {
    if (data.status !== 'ready') return;
    focusNext.current = data.data.open.findIndex((x) => x.id === takedown.id);
    data.set({ ...data.data, open: data.data.open.filter((x) => x.id !== takedown.id), done: [takedown, ...data.data.done] });
    setMessage(t('publishing.takedowns.recorded'));
  }

  return (
    <div className="stack" ref={listRef}>
      <PageHeading>{t('publishing.takedowns.title')}</PageHeading>
      <Text>{t('publishing.takedowns.intro')}</Text>
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <ResourceView resource={data}>
        {({ open, done, publications, channels }) => (
          <>
            <section aria-labelledby="takedowns-open" className="stack">
              <SectionHeading id="takedowns-open" focusable>
                {t('publishing.takedowns.openHeading', { count: open.length })}
              </SectionHeading>
              {open.length === 0 ? (
                <Text>{t('publishing.takedowns.noneOpen')}</Text>
              ) : (
                open.map((takedown) => {
                  const publication = publications.get(takedown.publicationId) ?? null;
                  return (
                    <OpenTakedown
                      key={takedown.id}
                      takedown={takedown}
                      publication={publication}
                      channel={publication ? (channels.get(publication.channelId) ?? null) : null}
                      onDone={recorded}
                    />
                  );
                })
              )}
            </section>
            {done.length > 0 && (
              <Disclosure summary={t('publishing.takedowns.doneHeading', { count: done.length })}>
                <ul className="history-list">
                  {done.map((takedown) => {
                    const publication = publications.get(takedown.publicationId);
                    return (
                      <DoneTakedown key={takedown.id} takedown={takedown} channelName={publication ? (channels.get(publication.channelId)?.name ?? '') : ''} />
                    );
                  })}
                </ul>
              </Disclosure>
            )}
          </>
        )}
      </ResourceView>
    </div>
  );
}

function Deadline({ takedown }: { takedown: Takedown }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const due = formatDateTime(takedown.dueAt, language);
  return takedown.overdue ? (
    <p className="icon-text takedown__due takedown__due--overdue">
      <StatusIcon kind="no" />
      <strong>{t('publishing.takedowns.overdue', { date: due })}</strong>
    </p>
  ) : (
    <p className="icon-text takedown__due">
      <StatusIcon kind="pending" />
      <span>{t('publishing.takedowns.due', { date: due })}</span>
    </p>
  );
}

function OpenTakedown({
  takedown,
  publication,
  channel,
  onDone,
}: {
  takedown: Takedown;
  publication: Publication | null;
  channel: Channel | null;
  onDone: (takedown: Takedown) => void;
}) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const reasonWords = useUnpublishReason();
  const headingId = useId();
  const fieldId = `takedown-evidence-${takedown.id}`;
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const channelName = channel?.name ?? t('publishing.takedowns.unknownChannel');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    setFailure(null);
    if (!evidence.trim()) {
      setError(t('publishing.takedowns.evidenceRequired'));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      onDone(await takedownDone(takedown.id, evidence.trim()));
    } catch (caught) {
      setFailure(errorText(caught));
      setBusy(false);
    }
  }

  return (
    <Panel labelledBy={headingId}>
      <div className="takedown" data-overdue={takedown.overdue}>
        <SectionHeading id={headingId} focusable>
          {t('publishing.takedowns.itemHeading', { channel: channelName })}
        </SectionHeading>
        <Deadline takedown={takedown} />
        <div className="takedown__body">
          {publication?.urls.thumb && publication.photoId && <TakedownThumb publication={publication} />}
          <ul className="takedown__facts">
            <li>{t('publishing.takedowns.why', { reason: reasonWords(takedown.reason) })}</li>
            <li>{t('publishing.takedowns.since', { date: formatDateTime(takedown.createdAt, language) })}</li>
            {publication?.externalUrl ? (
              <li>
                {t('publishing.takedowns.postedAt')}{' '}
                <a href={publication.externalUrl} rel="noreferrer noopener" target="_blank" className="takedown__url">
                  {publication.externalUrl}
                  <span className="ds-sr-only"> {t('publishing.takedowns.newWindow')}</span>
                </a>
              </li>
            ) : (
              <li>{t('publishing.takedowns.noUrl')}</li>
            )}
            {publication?.caption && <li>{t('publishing.takedowns.caption', { caption: publication.caption })}</li>}
          </ul>
        </div>
        <p>
          <Link to={`/publiseringer/${encodeURIComponent(takedown.publicationId)}`}>
            {t('publishing.takedowns.story')}
            <span className="ds-sr-only"> – {channelName}</span>
          </Link>
        </p>
        <form className="form form-inline" noValidate onSubmit={(event) => void submit(event)}>
          <FormErrors key={attempt} errors={error ? [{ fieldId, message: error }] : []} />
          <TextArea
            id={fieldId}
            label={t('publishing.takedowns.evidence')}
            description={t('publishing.takedowns.evidenceHint')}
            rows={2}
            value={evidence}
            onChange={(event) => setEvidence(event.target.value)}
            error={error}
          />
          <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
          <div>
            <Button type="submit" busy={busy} busyLabel={t('publishing.takedowns.saving')}>
              {t('publishing.takedowns.markDone')}
            </Button>
          </div>
        </form>
      </div>
    </Panel>
  );
}

/** The photo's thumbnail, with the published copy's proportions so the layout stays still. */
function TakedownThumb({ publication }: { publication: Publication }) {
  return <PhotoImage src={publication.urls.thumb!} width={publication.width ?? 320} height={publication.height ?? 240} className="takedown__thumb" />;
}

function DoneTakedown({ takedown, channelName }: { takedown: Takedown; channelName: string }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const reasonWords = useUnpublishReason();
  return (
    <li>
      <p className="history-list__when">{formatDateTime(takedown.doneAt, language)}</p>
      <p>
        {t('publishing.takedowns.doneLine', { channel: channelName, reason: reasonWords(takedown.reason) })}{' '}
        <Link to={`/publiseringer/${encodeURIComponent(takedown.publicationId)}`}>{t('publishing.takedowns.story')}</Link>
      </p>
      {takedown.evidence && <p className="subtle">{t('publishing.takedowns.evidenceWas', { evidence: takedown.evidence })}</p>}
    </li>
  );
}
