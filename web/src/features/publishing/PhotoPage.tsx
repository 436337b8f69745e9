import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PhotoImage } from '../../components/PhotoImage';
import { ResourceView } from '../../components/ResourceView';
import { Button, Link, LiveRegion, Notice, PageHeading, SectionHeading, StatusIcon, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatCaptureTime, formatDateTime } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { Channel, PhotoWithTags, Publication } from '../../types/api';
import { ExternalCopy } from './ExternalCopy';
import { PublishDialog } from './PublishDialog';
import { fetchChannels, fetchGroupChildren, fetchGroups, fetchPhoto, fetchPublications, fetchPurposes } from './publishing.api';
import { channelsForUnit, statusKindOf } from './publishing-words';
import { TagEditor } from './TagEditor';

/** /bilder/:photoId — tag who is in the photo, and ask to publish it. */
export function PhotoPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const { photoId = '' } = useParams();
  const data = useResource(
    async (signal) => {
      const photo = await fetchPhoto(photoId, signal);
      const [children, groups, channels, purposes, publications] = await Promise.all([
        fetchGroupChildren(photo.groupId, signal),
        fetchGroups(photo.unitId, signal),
        fetchChannels(signal),
        fetchPurposes(signal),
        fetchPublications({ unitId: photo.unitId, limit: 1000 }, signal),
      ]);
      return {
        photo,
        children,
        groupName: groups.find((g) => g.id === photo.groupId)?.name ?? '',
        channels,
        purposes,
        publications: publications.filter((p) => p.photoId === photo.id),
      };
    },
    [photoId],
  );
  const title =
    data.status === 'ready'
      ? data.data.photo.capturedAt
        ? t('publishing.photo.titleTaken', { date: formatCaptureTime(data.data.photo.capturedAt, language) })
        : t('publishing.photo.titleUploaded', { date: formatDateTime(data.data.photo.uploadedAt, language) })
      : t('publishing.photo.title');
  return (
    <div className="stack">
      <PageHeading title={title}>{title}</PageHeading>
      <ResourceView resource={data}>
        {(loaded) => <PhotoBody {...loaded} onChange={(change) => data.status === 'ready' && data.set({ ...data.data, ...change })} />}
      </ResourceView>
    </div>
  );
}

type Loaded = {
  photo: PhotoWithTags;
  children: Awaited<ReturnType<typeof fetchGroupChildren>>;
  groupName: string;
  channels: Channel[];
  purposes: Awaited<ReturnType<typeof fetchPurposes>>;
  publications: Publication[];
};

function PhotoBody({ photo, children, groupName, channels, purposes, publications, onChange }: Loaded & { onChange: (change: Partial<Loaded>) => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const user = useUser();
  const [dirty, setDirty] = useState(false);
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const canPublish = user.role === 'staff' || user.role === 'leader';
  const choices = channelsForUnit(channels, purposes, photo.unitId);
  const channelNames = new Map(channels.map((c) => [c.id, c]));
  const latestAlt = publications.find((p) => p.altText)?.altText;
  const onDirtyChange = useCallback((value: boolean) => setDirty(value), []);

  function openDialog() {
    if (dirty) {
      setNotice(t('publishing.photo.saveFirst'));
      return;
    }
    setNotice(null);
    setOpen(true);
  }

  return (
    <>
      <div className="photo-layout">
        <figure className="photo-layout__image">
          <PhotoImage src={photo.urls.display} width={photo.width} height={photo.height} alt={latestAlt ?? t('publishing.photo.noAlt')} lazy={false} />
          <figcaption className="subtle">{t('publishing.photo.inGroup', { name: groupName })}</figcaption>
        </figure>
        <div className="photo-layout__side">
          {canPublish ? (
            <TagEditor photo={photo} groupName={groupName} groupChildren={children} onSaved={(fresh) => onChange({ photo: fresh })} onDirtyChange={onDirtyChange} />
          ) : (
            <Text>{t('publishing.photo.readOnly')}</Text>
          )}
        </div>
      </div>

      <section aria-labelledby="photo-publishing" className="stack">
        <SectionHeading id="photo-publishing">{t('publishing.photo.publishingHeading')}</SectionHeading>
        {publications.length === 0 ? (
          <Text>{t('publishing.photo.notPublished')}</Text>
        ) : (
          <ul className="publication-list">
            {publications.map((p) => {
              const channel = channelNames.get(p.channelId);
              return (
                <li key={p.id} className="publication-list__item">
                  <p className="icon-text">
                    <StatusIcon kind={statusKindOf(p.status)} />
                    <span>
                      <strong>{channel?.name ?? ''}</strong>: {t(`publishing.status.${p.status}`)}
                      {p.publishedAt && ` · ${t('publishing.photo.since', { date: formatDateTime(p.publishedAt, language) })}`}
                    </span>
                  </p>
                  {p.status === 'published' && channel?.kind === 'external' && (
                    <ExternalCopy
                      publication={p}
                      channelName={channel.name}
                      onSaved={(updated) => onChange({ publications: publications.map((x) => (x.id === updated.id ? updated : x)) })}
                    />
                  )}
                  <p>
                    <Link to={`/publiseringer/${encodeURIComponent(p.id)}`}>
                      {t('publishing.photo.story')}
                      <span className="ds-sr-only"> – {channel?.name}</span>
                    </Link>
                  </p>
                </li>
              );
            })}
          </ul>
        )}
        {canPublish && (
          <>
            <LiveRegion politeness="assertive">{notice && <Notice tone="warning">{notice}</Notice>}</LiveRegion>
            <div>
              <Button onClick={openDialog}>{t('publishing.photo.publish')}</Button>
            </div>
            <PublishDialog
              open={open}
              photoId={photo.id}
              choices={choices}
              onClose={() => setOpen(false)}
              onPublished={(publication) => onChange({ publications: [publication, ...publications] })}
            />
          </>
        )}
      </section>
      <p>
        <Link to={`/bilder?gruppe=${encodeURIComponent(photo.groupId)}`}>{t('publishing.photo.back', { name: groupName })}</Link>
      </p>
    </>
  );
}
