import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PhotoImage } from '../../components/PhotoImage';
import { ResourceView } from '../../components/ResourceView';
import { Button, DetailsList, Dialog, Link, LiveRegion, Notice, PageHeading, SectionHeading, ServerPageLink, StatusIcon, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { Channel, PhotoWithTags, Publication, PublicationEvent, PublicationStory, Takedown } from '../../types/api';
import { ExternalCopy } from './ExternalCopy';
import { fetchChannels, fetchPhoto, fetchStory, fetchUnitAccounts, unpublish } from './publishing.api';
import { statusKindOf, useUnpublishReason } from './publishing-words';

async function loadStory(publicationId: string, seesAccounts: boolean, signal: AbortSignal) {
  const story = await fetchStory(publicationId, signal);
  const [channels, photo, accounts] = await Promise.all([
    fetchChannels(signal),
    story.publication.photoId ? fetchPhoto(story.publication.photoId, signal).catch(() => null) : Promise.resolve(null),
    // Leaders and admins see who the accounts are; staff see "a member of staff".
    seesAccounts ? fetchUnitAccounts(story.publication.unitId, signal).catch(() => new Map<string, string>()) : Promise.resolve(new Map<string, string>()),
  ]);
  return { story, channel: channels.find((c) => c.id === story.publication.channelId) ?? null, photo, accounts };
}

/** /publiseringer/:id — one publication's whole story: every check, review and takedown, in order. */
export function PublicationPage() {
  const { t } = useTranslation();
  const { publicationId = '' } = useParams();
  const user = useUser();
  const seesAccounts = user.role === 'leader' || user.role === 'admin';
  const data = useResource((signal) => loadStory(publicationId, seesAccounts, signal), [publicationId, seesAccounts]);
  const title = data.status === 'ready' ? t('publishing.story.title', { channel: data.data.channel?.name ?? '' }) : t('publishing.story.titleLoading');
  return (
    <div className="stack">
      <PageHeading title={title}>{title}</PageHeading>
      <ResourceView resource={data}>
        {(loaded) => (
          <StoryBody
            {...loaded}
            onChanged={async () => {
              const fresh = await fetchStory(publicationId);
              if (data.status === 'ready') data.set({ ...loaded, story: fresh });
            }}
          />
        )}
      </ResourceView>
    </div>
  );
}

function StoryBody({
  story,
  channel,
  photo,
  accounts,
  onChanged,
}: {
  story: PublicationStory;
  channel: Channel | null;
  photo: PhotoWithTags | null;
  accounts: Map<string, string>;
  onChanged: () => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const user = useUser();
  const reasonWords = useUnpublishReason();
  const { publication: p, events, takedowns } = story;
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const who = (accountId: string | null) => (accountId === null ? t('publishing.story.system') : (accounts.get(accountId) ?? t('publishing.story.someone')));
  const live = p.status === 'published' || p.status === 'pending_review';
  const canAct = user.role === 'staff' || user.role === 'leader';

  const details = [
    { term: t('publishing.story.status'), value: <StatusLine publication={p} /> },
    { term: t('publishing.story.channel'), value: channel ? <ChannelValue channel={channel} /> : t('common.none') },
    { term: t('publishing.story.requested'), value: `${who(p.requestedBy)}, ${formatDateTime(p.requestedAt, language)}` },
    ...(p.reviewedAt
      ? [
          {
            term: t('publishing.story.reviewed'),
            value: `${who(p.reviewedBy)}, ${formatDateTime(p.reviewedAt, language)}${p.harmAssessed ? `. ${t('publishing.story.harmAssessed')}` : ''}${p.reviewNote ? `. ${t('publishing.story.note', { note: p.reviewNote })}` : ''}`,
          },
        ]
      : []),
    ...(p.publishedAt ? [{ term: t('publishing.story.published'), value: formatDateTime(p.publishedAt, language) }] : []),
    ...(p.unpublishedAt ? [{ term: t('publishing.story.unpublished'), value: `${formatDateTime(p.unpublishedAt, language)}: ${reasonWords(p.unpublishReason)}` }] : []),
    ...(p.externalUrl ? [{ term: t('publishing.story.externalUrl'), value: p.externalUrl }] : []),
    ...(p.occasion ? [{ term: t('publishing.story.occasion'), value: p.occasion }] : []),
    { term: t('publishing.story.titleField'), value: p.title || t('common.none') },
    { term: t('publishing.story.caption'), value: p.caption || t('common.none') },
    { term: t('publishing.story.altText'), value: p.altText },
    { term: t('publishing.story.consents'), value: t('publishing.story.decisions', { count: p.decisionIds.length }) },
  ];

  return (
    <>
      <div className="story-head">
        {photo && (
          <Link to={`/bilder/${encodeURIComponent(photo.id)}`} className="story-head__photo">
            <PhotoImage src={photo.urls.thumb} width={photo.thumbWidth} height={photo.thumbHeight} alt={t('publishing.story.openPhoto')} />
          </Link>
        )}
        <DetailsList items={details} />
      </div>
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      {canAct && p.status === 'published' && channel?.kind === 'external' && <ExternalCopy publication={p} channelName={channel.name} onSaved={() => void onChanged()} />}
      {canAct && live && (
        <div>
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            {t('publishing.story.unpublish')}
          </Button>
        </div>
      )}
      <UnpublishDialog
        open={confirming}
        publication={p}
        channel={channel}
        onClose={() => setConfirming(false)}
        onDone={async () => {
          setConfirming(false);
          await onChanged().catch(() => undefined);
          setMessage(channel?.kind === 'external' ? t('publishing.story.unpublishedExternal') : t('publishing.story.unpublishedHosted'));
        }}
      />
      {takedowns.length > 0 && <Takedowns takedowns={takedowns} who={who} />}
      <section aria-labelledby="story-events" className="stack-tight">
        <SectionHeading id="story-events">{t('publishing.story.eventsHeading')}</SectionHeading>
        <ol className="history-list">
          {events.map((event) => (
            <li key={event.seq}>
              <p className="history-list__when">{formatDateTime(event.at, language)}</p>
              <p>
                <EventWords event={event} />
              </p>
              <p className="subtle">{t('publishing.story.by', { who: who(event.actorId) })}</p>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function StatusLine({ publication }: { publication: Publication }) {
  const { t } = useTranslation();
  return (
    <span className="icon-text">
      <StatusIcon kind={statusKindOf(publication.status)} />
      <span>{t(`publishing.status.${publication.status}`)}</span>
    </span>
  );
}

function ChannelValue({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  return channel.kind === 'hosted' ? (
    <>
      {channel.name} (<ServerPageLink href={`/feed/${encodeURIComponent(channel.slug)}`}>{t('publishing.story.openFeed')}</ServerPageLink>)
    </>
  ) : (
    <>
      {channel.name} ({t('publishing.publish.external')})
    </>
  );
}

function Takedowns({ takedowns, who }: { takedowns: Takedown[]; who: (id: string | null) => string }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  return (
    <section aria-labelledby="story-takedowns" className="stack-tight">
      <SectionHeading id="story-takedowns">{t('publishing.story.takedownsHeading')}</SectionHeading>
      <ul className="history-list">
        {takedowns.map((task) => (
          <li key={task.id}>
            {task.status === 'done' ? (
              <p className="icon-text">
                <StatusIcon kind="yes" />
                <span>{t('publishing.story.takedownDone', { date: formatDateTime(task.doneAt, language), who: who(task.doneBy), evidence: task.evidence ?? '' })}</span>
              </p>
            ) : task.overdue ? (
              <p className="icon-text">
                <StatusIcon kind="no" />
                <strong>{t('publishing.takedowns.overdue', { date: formatDateTime(task.dueAt, language) })}</strong>
              </p>
            ) : (
              <p className="icon-text">
                <StatusIcon kind="pending" />
                <span>{t('publishing.takedowns.due', { date: formatDateTime(task.dueAt, language) })}</span>
              </p>
            )}
            {task.status === 'open' && (
              <p>
                <Link to="/nedtakinger">{t('publishing.story.toTakedowns')}</Link>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

type GatePayload = { allowed?: boolean; reasons?: { code: string }[] };

function EventWords({ event }: { event: PublicationEvent }) {
  const { t } = useTranslation();
  const reasonWords = useUnpublishReason();
  const payload = (event.payload ?? {}) as GatePayload & { reason?: string; tags?: unknown[] };
  switch (event.action) {
    case 'gate.checked':
    case 'gate.passed':
    case 'gate.refused': {
      const codes = [...new Set((payload.reasons ?? []).map((r) => r.code))];
      const words = codes.map((code) => t(`publishing.reasonShort.${code}` as 'publishing.reasonShort.NO_CONSENT', { defaultValue: code })).join(', ');
      const verdict = payload.allowed ? t('publishing.event.gateAllowed') : words;
      return <>{`${t(`publishing.event.${event.action === 'gate.checked' ? 'gateChecked' : event.action === 'gate.passed' ? 'gatePassed' : 'gateRefused'}`)}${verdict ? `: ${verdict}` : ''}.`}</>;
    }
    case 'photo.tagged':
      return <>{t('publishing.event.tagged', { count: payload.tags?.length ?? 0 })}</>;
    case 'publication.unpublished':
      return <>{t('publishing.event.unpublished', { reason: reasonWords(payload.reason ?? null) })}</>;
    default: {
      const known: Record<string, string> = {
        'photo.uploaded': 'uploaded',
        'photo.updated': 'photoUpdated',
        'publication.requested': 'requested',
        'publication.published': 'published',
        'publication.approved': 'approved',
        'publication.rejected': 'rejected',
        'publication.external_url': 'externalUrl',
        'takedown.opened': 'takedownOpened',
        'takedown.done': 'takedownDone',
        'takedown.requested': 'takedownRequested',
      };
      const key = known[event.action];
      return <>{key ? t(`publishing.event.${key}` as 'publishing.event.uploaded') : t('publishing.event.other', { action: event.action })}</>;
    }
  }
}

function UnpublishDialog({
  open,
  publication,
  channel,
  onClose,
  onDone,
}: {
  open: boolean;
  publication: Publication;
  channel: Channel | null;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const busyRef = useRef(false);

  async function confirm() {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setFailure(null);
    try {
      await unpublish(publication.id);
      await onDone();
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} title={t('publishing.story.unpublishTitle', { channel: channel?.name ?? '' })}>
      <div className="stack">
        <Text>{channel?.kind === 'external' ? t('publishing.story.unpublishExternal') : t('publishing.story.unpublishHosted')}</Text>
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <div className="button-row">
          <Button onClick={() => void confirm()} busy={busy} busyLabel={t('publishing.story.unpublishing')}>
            {t('publishing.story.unpublishConfirm')}
          </Button>
          <Button variant="tertiary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
