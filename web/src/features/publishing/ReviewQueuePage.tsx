import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PhotoImage } from '../../components/PhotoImage';
import { ResourceView } from '../../components/ResourceView';
import { Button, CheckboxField, CheckboxGroup, DetailsList, FormErrors, Link, LiveRegion, Notice, PageHeading, Panel, SectionHeading, Text, TextArea } from '../../components/ui';
import type { Language } from '../../i18n';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { formatDateTime, fullName } from '../../lib/format';
import { mapLimit } from '../../lib/map-limit';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { Channel, Gate, PhotoWithTags, Publication } from '../../types/api';
import { GateResult } from './GateResult';
import type { GateState } from './GateResult';
import { checkGate, fetchChannels, fetchPhoto, fetchPublications, fetchUnitAccounts, review } from './publishing.api';

type Item = { publication: Publication; photo: PhotoWithTags | null; gate: GateState };

/** Each waiting publication with its photo and the gate's answer as it is now (the leader sees what they approve). */
async function loadQueue(unitId: string | null, signal: AbortSignal) {
  const [pending, channels, accounts] = await Promise.all([
    fetchPublications({ status: 'pending_review', limit: 200 }, signal),
    fetchChannels(signal),
    unitId ? fetchUnitAccounts(unitId, signal).catch(() => new Map<string, string>()) : Promise.resolve(new Map<string, string>()),
  ]);
  const items = await mapLimit(pending, 4, async (publication): Promise<Item> => {
    if (!publication.photoId) return { publication, photo: null, gate: { status: 'idle' } };
    const photo = await fetchPhoto(publication.photoId, signal);
    let gate: GateState;
    try {
      const answer = await checkGate(
        photo.id,
        { channelId: publication.channelId, caption: publication.caption, altText: publication.altText, title: publication.title ?? '', occasion: publication.occasion },
        signal,
      );
      gate = { status: 'ready', gate: answer };
    } catch {
      gate = { status: 'failed', message: '' };
    }
    return { publication, photo, gate };
  });
  // Oldest first: who has waited longest is reviewed first.
  items.sort((a, b) => a.publication.requestedAt.localeCompare(b.publication.requestedAt));
  return { items, channels, accounts };
}

/** The leader's queue: photos for public channels that wait for a second pair of eyes. */
export function ReviewQueuePage() {
  const { t } = useTranslation();
  const user = useUser();
  const queue = useResource((signal) => loadQueue(user.unitId, signal), [user.unitId]);
  const [message, setMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLDivElement>(null);

  // After a decision the item goes; focus moves on to the next one, or to the top when none is left.
  const focusNext = useRef<number | null>(null);
  const count = queue.status === 'ready' ? queue.data.items.length : -1;
  useEffect(() => {
    const index = focusNext.current;
    if (index === null) return;
    focusNext.current = null;
    const headings = headingRef.current?.querySelectorAll<HTMLElement>('.review-item h2') ?? [];
    (headings.length > 0 ? headings[Math.min(index, headings.length - 1)] : document.querySelector<HTMLElement>('main h1'))?.focus();
  }, [count]);

  function done(publicationId: string, text: string) {
    if (queue.status !== 'ready') return;
    const items = queue.data.items;
    focusNext.current = items.findIndex((item) => item.publication.id === publicationId);
    queue.set({ ...queue.data, items: items.filter((item) => item.publication.id !== publicationId) });
    setMessage(text);
  }

  return (
    <div className="stack" ref={headingRef}>
      <PageHeading>{t('publishing.review.title')}</PageHeading>
      <Text>{t('publishing.review.intro')}</Text>
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <ResourceView resource={queue}>
        {({ items, channels, accounts }) =>
          items.length === 0 ? (
            <Text>{t('publishing.review.empty')}</Text>
          ) : (
            <>
              <Text>{t('publishing.review.count', { count: items.length })}</Text>
              {items.map((item) => (
                <ReviewItem
                  key={item.publication.id}
                  item={item}
                  channel={channels.find((c) => c.id === item.publication.channelId) ?? null}
                  requester={accounts.get(item.publication.requestedBy) ?? null}
                  onDone={(text) => done(item.publication.id, text)}
                />
              ))}
            </>
          )
        }
      </ResourceView>
    </div>
  );
}

function ReviewItem({ item, channel, requester, onDone }: { item: Item; channel: Channel | null; requester: string | null; onDone: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const user = useUser();
  const { publication, photo } = item;
  const headingId = useId();
  const gateHeadingId = useId();
  const [gate, setGate] = useState<GateState>(item.gate);
  const [harm, setHarm] = useState(false);
  const [note, setNote] = useState('');
  const [harmError, setHarmError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const channelName = channel?.name ?? '';
  const own = publication.requestedBy === user.id;
  const harmId = `review-harm-${publication.id}`;

  async function decide(approve: boolean) {
    if (busy) return;
    setAttempt((n) => n + 1);
    setFailure(null);
    if (approve && !harm) {
      setHarmError(t('publishing.review.harmRequired'));
      return;
    }
    setHarmError(undefined);
    setBusy(approve ? 'approve' : 'reject');
    try {
      await review(publication.id, { approve, harmAssessment: approve && harm, note: note.trim() || null });
      onDone(approve ? t('publishing.review.approved', { channel: channelName }) : t('publishing.review.rejected', { channel: channelName }));
    } catch (caught) {
      if (isApiError(caught, 'GATE_REFUSED')) {
        const details = caught.details as { gate?: Gate } | undefined;
        if (details?.gate) setGate({ status: 'ready', gate: details.gate });
        setFailure(t('publishing.review.gateRefused'));
      } else if (isApiError(caught, 'OWN_REQUEST')) {
        setFailure(t('publishing.review.ownRequest'));
      } else if (isApiError(caught, 'NOT_PENDING')) {
        setFailure(t('publishing.review.notPending'));
      } else {
        setFailure(errorText(caught));
      }
      setBusy(null);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void decide(true);
  }

  const tags = photo?.tags ?? [];
  const tagWords = photo?.noPeople
    ? t('publishing.review.noPeople')
    : tags.length === 0
      ? t('publishing.review.notTagged')
      : tags
          .map((tag) =>
            t(tag.recognisable ? 'publishing.review.tagRecognisable' : 'publishing.review.tagNotRecognisable', {
              name: tag.unknown ? t('publishing.review.unknownPerson') : fullName({ firstName: tag.firstName ?? '', lastName: tag.lastName ?? '' }),
            }),
          )
          .join(', ');

  return (
    <Panel labelledBy={headingId}>
      <div className="review-item">
        <SectionHeading id={headingId} focusable>
          {t('publishing.review.itemHeading', { channel: channelName })}
        </SectionHeading>
        <div className="review-item__body">
          {photo && (
            <figure className="review-item__image">
              <PhotoImage src={photo.urls.display} width={photo.width} height={photo.height} alt={publication.altText} />
            </figure>
          )}
          <div className="stack">
            <DetailsList
              items={[
                { term: t('publishing.review.requestedBy'), value: `${requester ?? t('publishing.review.someone')}, ${formatDateTime(publication.requestedAt, language)}` },
                ...(publication.occasion ? [{ term: t('publishing.review.occasion'), value: publication.occasion }] : []),
                { term: t('publishing.review.titleField'), value: publication.title || t('common.none') },
                { term: t('publishing.review.caption'), value: publication.caption || t('common.none') },
                { term: t('publishing.review.altText'), value: publication.altText },
                { term: t('publishing.review.people'), value: tagWords },
                { term: t('publishing.review.kind'), value: photo ? t(`publishing.review.kinds.${photo.kind}`) : t('common.none') },
              ]}
            />
            <GateResult state={gate.status === 'failed' ? { status: 'failed', message: t('publishing.review.gateUnknown') } : gate} channelName={channelName} headingId={gateHeadingId} reviewing />
          </div>
        </div>
        {photo && (
          <p>
            <Link to={`/bilder/${encodeURIComponent(photo.id)}`}>{t('publishing.review.openPhoto')}</Link>
          </p>
        )}
        {own ? (
          <Notice tone="info">{t('publishing.review.ownRequest')}</Notice>
        ) : (
          <form className="form review-item__form" noValidate onSubmit={submit}>
            <FormErrors key={attempt} errors={harmError ? [{ fieldId: harmId, message: harmError }] : []} />
            <CheckboxGroup legend={t('publishing.review.harmLegend')} description={t('publishing.review.harmHint')} error={harmError}>
              <CheckboxField
                id={harmId}
                label={t('publishing.review.harm')}
                checked={harm}
                onChange={(event) => {
                  setHarm(event.target.checked);
                  if (event.target.checked) setHarmError(undefined);
                }}
              />
            </CheckboxGroup>
            <TextArea
              id={`review-note-${publication.id}`}
              label={`${t('publishing.review.note')} ${t('common.optional')}`}
              description={t('publishing.review.noteHint')}
              rows={2}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
            <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
            <div className="button-row">
              <Button type="submit" busy={busy === 'approve'} busyLabel={t('publishing.review.approving')}>
                {t('publishing.review.approve')}
              </Button>
              <Button variant="secondary" busy={busy === 'reject'} busyLabel={t('publishing.review.rejecting')} onClick={() => void decide(false)}>
                {t('publishing.review.reject')}
              </Button>
            </div>
          </form>
        )}
      </div>
    </Panel>
  );
}
