import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { PhotoImage } from '../../components/PhotoImage';
import { ResourceView } from '../../components/ResourceView';
import { Button, ButtonLink, LiveRegion, Notice, PageHeading, SectionHeading, SelectField, ServerPageLink, StatusIcon, Text } from '../../components/ui';
import type { StatusKind } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { formatCaptureTime, formatDateTime } from '../../lib/format';
import { mapLimit } from '../../lib/map-limit';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { Channel, Group, PhotoWithTags, Publication } from '../../types/api';
import { fetchChannels, fetchMyGroups, fetchPhoto, fetchPhotos, fetchUnitPublications } from './photos.api';
import { groupLabel } from './UploadPage';

const PAGE = 24;

type NamedGroup = Group & { unitName: string };

/** Each photo with its tags (the list endpoint has none, so each is asked for, a few at a time). */
async function loadPage(groupId: string, before: string | undefined, signal?: AbortSignal): Promise<{ photos: PhotoWithTags[]; more: boolean }> {
  const photos = await fetchPhotos(groupId, { before, limit: PAGE, signal });
  return { photos: await mapLimit(photos, 6, (photo) => fetchPhoto(photo.id, signal)), more: photos.length === PAGE };
}

/** A group's photos: when they were taken, who is tagged, where they are published. */
export function LibraryPage() {
  const { t } = useTranslation();
  const groups = useResource((signal) => fetchMyGroups(signal), []);
  return (
    <div className="stack">
      <PageHeading>{t('photos.library.title')}</PageHeading>
      <ResourceView resource={groups}>{(list) => <LibraryBody groups={list} />}</ResourceView>
    </div>
  );
}

function LibraryBody({ groups }: { groups: NamedGroup[] }) {
  const { t } = useTranslation();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const group = groups.find((g) => g.id === params.get('gruppe')) ?? groups[0];
  if (!group) return <Text>{t('photos.upload.noGroups')}</Text>;
  const canUpload = user.role === 'staff' || user.role === 'leader';
  return (
    <>
      <div className="overview-tools">
        <SelectField
          id="library-group"
          label={t('photos.library.group')}
          value={group.id}
          onChange={(event) => setParams({ gruppe: event.target.value }, { replace: true })}
          options={groups.map((g) => ({ value: g.id, label: groupLabel(g, groups) }))}
        />
        {canUpload && (
          <div>
            <ButtonLink variant="primary" to={`/bilder/last-opp?gruppe=${encodeURIComponent(group.id)}`}>
              {t('photos.library.upload')}
            </ButtonLink>
          </div>
        )}
      </div>
      <GroupPhotos key={group.id} group={group} />
    </>
  );
}

function GroupPhotos({ group }: { group: NamedGroup }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const data = useResource(
    async (signal) => {
      const [page, publications, channels] = await Promise.all([loadPage(group.id, undefined, signal), fetchUnitPublications(group.unitId, signal), fetchChannels(signal)]);
      return { ...page, publications, channels };
    },
    [group.id, group.unitId],
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const focusIndex = useRef<number | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const shown = data.status === 'ready' ? data.data.photos.length : 0;
  useEffect(() => {
    // After "show more": on to the first new photo, where the person was going.
    if (focusIndex.current === null) return;
    const links = listRef.current?.querySelectorAll<HTMLAnchorElement>('.library-card__link');
    links?.[focusIndex.current]?.focus();
    focusIndex.current = null;
  }, [shown]);

  async function more() {
    if (data.status !== 'ready' || loadingMore) return;
    const last = data.data.photos[data.data.photos.length - 1];
    setLoadingMore(true);
    setFailure(null);
    try {
      const page = await loadPage(group.id, last?.uploadedAt);
      focusIndex.current = data.data.photos.length;
      data.set({ ...data.data, photos: [...data.data.photos, ...page.photos], more: page.more });
      setMessage(t('photos.library.moreShown', { count: page.photos.length }));
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <ResourceView resource={data}>
      {({ photos, more: hasMore, publications, channels }) => {
        const channelNames = new Map(channels.map((c) => [c.id, c.name]));
        return (
          <>
            <section aria-labelledby="library-photos" className="stack">
              <SectionHeading id="library-photos">{t('photos.library.photosIn', { name: group.name })}</SectionHeading>
              {photos.length === 0 ? (
                <Text>{t('photos.library.none')}</Text>
              ) : (
                <ul ref={listRef} className="library-grid">
                  {photos.map((photo) => (
                    <PhotoCard
                      key={photo.id}
                      photo={photo}
                      publications={publications.filter((p) => p.photoId === photo.id && (p.status === 'published' || p.status === 'pending_review'))}
                      channelNames={channelNames}
                    />
                  ))}
                </ul>
              )}
              <LiveRegion>{message}</LiveRegion>
              <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
              {hasMore && (
                <div>
                  <Button variant="secondary" onClick={() => void more()} busy={loadingMore} busyLabel={t('common.loading')}>
                    {t('photos.library.more')}
                  </Button>
                </div>
              )}
            </section>
            <ChannelList channels={channels.filter((c) => c.active && (c.unitId === null || c.unitId === group.unitId))} />
          </>
        );
      }}
    </ResourceView>
  );
}

function PhotoCard({ photo, publications, channelNames }: { photo: PhotoWithTags; publications: Publication[]; channelNames: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const when = photo.capturedAt
    ? t('photos.library.taken', { date: formatCaptureTime(photo.capturedAt, language) })
    : t('photos.library.uploaded', { date: formatDateTime(photo.uploadedAt, language) });
  const tagState: { kind: StatusKind; text: string } = photo.noPeople
    ? { kind: 'yes', text: t('photos.library.noPeople') }
    : photo.tags.length === 0
      ? { kind: 'pending', text: t('photos.library.notTagged') }
      : { kind: 'yes', text: t('photos.library.tagged', { count: photo.tags.length }) };
  return (
    <li className="library-card">
      <RouterLink to={`/bilder/${encodeURIComponent(photo.id)}`} className="library-card__link">
        <PhotoImage src={photo.urls.thumb} width={photo.thumbWidth} height={photo.thumbHeight} className="library-card__image" />
        <span className="library-card__title">{when}</span>
      </RouterLink>
      <ul className="library-card__facts">
        <li className="icon-text">
          <StatusIcon kind={tagState.kind} />
          <span>{tagState.text}</span>
        </li>
        {photo.kind === 'portrait' && <li className="library-card__plain">{t('photos.library.portrait')}</li>}
        {publications.length === 0 ? (
          <li className="library-card__plain">{t('photos.library.notPublished')}</li>
        ) : (
          publications.map((p) => (
            <li key={p.id} className="icon-text">
              <StatusIcon kind={p.status === 'published' ? 'yes' : 'pending'} />
              <span>
                {t(p.status === 'published' ? 'photos.library.publishedIn' : 'photos.library.pendingIn', { channel: channelNames.get(p.channelId) ?? '' })}
              </span>
            </li>
          ))
        )}
      </ul>
    </li>
  );
}

/** Where photos from this group can go; hosted galleries open in the browser. */
function ChannelList({ channels }: { channels: Channel[] }) {
  const { t } = useTranslation();
  if (channels.length === 0) return null;
  return (
    <section aria-labelledby="library-channels" className="stack-tight">
      <SectionHeading id="library-channels">{t('photos.library.channelsHeading')}</SectionHeading>
      <Text>{t('photos.library.channelsIntro')}</Text>
      <ul className="link-list">
        {channels.map((channel) => (
          <li key={channel.id}>
            {channel.kind === 'hosted' ? (
              <ServerPageLink href={`/feed/${encodeURIComponent(channel.slug)}`}>{t('photos.library.openFeed', { name: channel.name })}</ServerPageLink>
            ) : (
              <>
                {channel.name} <span className="subtle">({t('photos.library.external')})</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
