import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { Button, Dialog, Link, LiveRegion, Notice, PageHeading, Panel, SectionHeading, ServerPageLink, StatusIcon, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { Channel, ChildPublication } from '../../types/api';
import { askTakedown, fetchChannels, fetchChildPublications, fetchPerson, fetchPurposes } from './publishing.api';
import { RightsPanel } from '../help/RightsPanel';
import { statusKindOf } from './publishing-words';

async function load(personId: string, signal: AbortSignal) {
  const [person, publications, channels, purposes] = await Promise.all([
    fetchPerson(personId, signal),
    fetchChildPublications(personId, signal),
    fetchChannels(signal),
    fetchPurposes(signal),
  ]);
  // Galleries a guardian can open: hosted, and not internal (those are for staff only).
  const audienceOf = new Map(purposes.map((p) => [p.id, p.audience]));
  const openable = new Set(channels.filter((c) => c.kind === 'hosted' && (audienceOf.get(c.purposeId) ?? 'internal') !== 'internal').map((c) => c.id));
  // Rejected requests were never shown anywhere; the rest is what the child has been (or is) shown in.
  const shown = publications
    .filter((p) => p.status !== 'rejected')
    .sort((a, b) => (b.publishedAt ?? b.requestedAt).localeCompare(a.publishedAt ?? a.requestedAt));
  return { person, publications: shown, channels: new Map(channels.map((c) => [c.id, c])), openable };
}

/**
 * /samtykke/:personId/bilder — for a guardian (or a pupil about themself): every publication the
 * child is tagged in, where, since when, and whether it is still shown; and a way to ask for one
 * photo to be taken down. The photos themselves are shown only where the guardian can open them.
 */
export function ChildPhotosPage() {
  const { t } = useTranslation();
  const { personId = '' } = useParams();
  const user = useUser();
  const own = user.personId === personId;
  const data = useResource((signal) => load(personId, signal), [personId]);
  const [message, setMessage] = useState<string | null>(null);
  const [asking, setAsking] = useState<ChildPublication | null>(null);
  // The button that opened the dialog is gone once the photo is taken down: go on from its heading.
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId || data.status !== 'ready') return;
    document.getElementById(`child-publication-${focusId}`)?.focus();
    setFocusId(null);
  }, [focusId, data]);
  const title = own
    ? t('publishing.child.ownTitle')
    : data.status === 'ready'
      ? t('publishing.child.title', { name: data.data.person.firstName })
      : t('publishing.child.titleLoading');

  return (
    <div className="stack">
      <PageHeading title={title}>{title}</PageHeading>
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <ResourceView resource={data}>
        {({ person, publications, channels, openable }) => (
          <>
            <Text>{own ? t('publishing.child.introSelf') : t('publishing.child.intro', { name: person.firstName })}</Text>
            {publications.length === 0 ? (
              <Text>{own ? t('publishing.child.noneSelf') : t('publishing.child.none', { name: person.firstName })}</Text>
            ) : (
              <ul className="card-list child-photos" aria-label={title}>
                {publications.map((p) => (
                  <li key={p.id}>
                    <ChildPublicationCard publication={p} channel={channels.get(p.channelId) ?? null} openable={openable.has(p.channelId)} onAsk={() => setAsking(p)} />
                  </li>
                ))}
              </ul>
            )}
            <p>
              <Link to={own ? '/samtykke' : `/samtykke/${encodeURIComponent(person.id)}`}>
                {own ? t('publishing.child.toConsentsSelf') : t('publishing.child.toConsents', { name: person.firstName })}
              </Link>
            </p>
            <TakedownDialog
              publication={asking}
              personId={person.id}
              channel={asking ? (channels.get(asking.channelId) ?? null) : null}
              onClose={() => setAsking(null)}
              onDone={async (text) => {
                const id = asking?.id;
                setAsking(null);
                if (data.status === 'ready') {
                  const fresh = await load(personId, new AbortController().signal).catch(() => null);
                  if (fresh) data.set(fresh);
                }
                setMessage(text);
                setFocusId(id ?? null);
              }}
            />
            <RightsPanel self={own} />
          </>
        )}
      </ResourceView>
    </div>
  );
}

function ChildPublicationCard({
  publication: p,
  channel,
  openable,
  onAsk,
}: {
  publication: ChildPublication;
  channel: Channel | null;
  openable: boolean;
  onAsk: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const [imageFailed, setImageFailed] = useState(false);
  const hosted = channel?.kind === 'hosted';
  const showImage = openable && p.status === 'published' && p.width && p.height && !imageFailed;
  const state =
    p.status === 'published'
      ? t('publishing.child.shownSince', { date: formatDateTime(p.publishedAt, language) })
      : p.status === 'pending_review'
        ? t('publishing.child.pending')
        : t('publishing.child.takenDown', { date: formatDateTime(p.unpublishedAt, language) });
  return (
    <Panel as="div">
      <SectionHeading level={2} size="xs" id={`child-publication-${p.id}`} focusable>
        {p.channelName}
      </SectionHeading>
      <p className="icon-text">
        <StatusIcon kind={statusKindOf(p.status)} />
        <span>{state}</span>
      </p>
      {showImage && channel && (
        <img
          src={`/feed/${encodeURIComponent(channel.slug)}/${encodeURIComponent(p.id)}.jpg`}
          width={p.width!}
          height={p.height!}
          alt={p.altText}
          className="photo-image child-photos__image"
          loading="lazy"
          onError={() => setImageFailed(true)}
        />
      )}
      {p.title && <Text>{t('publishing.child.titleText', { title: p.title })}</Text>}
      {p.caption && <Text>{t('publishing.child.caption', { caption: p.caption })}</Text>}
      {!showImage && <Text>{t('publishing.child.description', { text: p.altText })}</Text>}
      {openable && channel && p.status === 'published' && (
        <p>
          <ServerPageLink href={`/feed/${encodeURIComponent(channel.slug)}`}>{t('publishing.child.openFeed', { channel: p.channelName })}</ServerPageLink>
        </p>
      )}
      {!hosted && p.externalUrl && p.status === 'published' && <Text>{t('publishing.child.postedAt', { url: p.externalUrl })}</Text>}
      {(p.status === 'published' || p.status === 'pending_review') && (
        <div>
          <Button variant="secondary" onClick={onAsk}>
            {t('publishing.child.ask')}
            <span className="ds-sr-only"> – {p.channelName}</span>
          </Button>
        </div>
      )}
    </Panel>
  );
}

function TakedownDialog({
  publication,
  personId,
  channel,
  onClose,
  onDone,
}: {
  publication: ChildPublication | null;
  personId: string;
  channel: Channel | null;
  onClose: () => void;
  onDone: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const name = publication?.channelName ?? '';
  const external = channel?.kind === 'external';

  async function confirm() {
    if (!publication || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await askTakedown(publication.id, personId);
      await onDone(external ? t('publishing.child.askedExternal', { channel: name }) : t('publishing.child.askedHosted', { channel: name }));
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={publication !== null}
      onClose={() => {
        setFailure(null);
        onClose();
      }}
      title={t('publishing.child.askTitle')}
    >
      <div className="stack">
        <Text>{external ? t('publishing.child.askExternal', { channel: name }) : t('publishing.child.askHosted', { channel: name })}</Text>
        <Text>{t('publishing.child.askNote')}</Text>
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <div className="button-row">
          <Button onClick={() => void confirm()} busy={busy} busyLabel={t('publishing.child.asking')}>
            {t('publishing.child.askConfirm')}
          </Button>
          <Button variant="tertiary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
