import { useEffect, useId, useRef, useState } from 'react';
import type { ChangeEvent, DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PhotoImage } from '../../components/PhotoImage';
import { ResourceView } from '../../components/ResourceView';
import { Button, ButtonLink, FileField, Link, LiveRegion, Notice, PageHeading, SectionHeading, SelectField, StatusIcon, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatBytes } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import type { Group, Guidelines } from '../../types/api';
import { fetchGuidelines, fetchMyGroups } from './photos.api';
import { isActive, useUploadQueue } from './upload-queue';
import type { UploadItem } from './upload-queue';

type NamedGroup = Group & { unitName: string };

/** Refusals worth trying again as they are: the server was busy or could not be reached. */
const retryable = (code: string) => ['BUSY', 'NETWORK_ERROR', 'RATE_LIMITED', 'UPLOAD_TOO_SLOW'].includes(code) || /^HTTP_5\d\d$/.test(code);

const knownRefusals = new Set([
  'EMPTY_FILE',
  'UNSUPPORTED_FORMAT',
  'CORRUPT_IMAGE',
  'TOO_MANY_PIXELS',
  'METADATA_SURVIVED',
  'FILE_TOO_LARGE',
  'TOO_MANY_FILES',
  'UPLOAD_TOO_SLOW',
  'RATE_LIMITED',
  'BUSY',
  'GUIDELINES_NOT_ACKNOWLEDGED',
  'NETWORK_ERROR',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
]);

export function groupLabel(group: NamedGroup, groups: readonly NamedGroup[]): string {
  const units = new Set(groups.map((g) => g.unitId));
  return units.size > 1 ? `${group.name} (${group.unitName})` : group.name;
}

/** Staff and leaders upload photos from a phone (camera or library) or a computer (choose or drop). */
export function UploadPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const data = useResource(async (signal) => {
    const [groups, guidelines] = await Promise.all([fetchMyGroups(signal), fetchGuidelines(language, signal)]);
    return { groups, guidelines };
  }, [language]);
  return (
    <div className="stack">
      <PageHeading>{t('photos.upload.title')}</PageHeading>
      <ResourceView resource={data}>{({ groups, guidelines }) => <UploadBody groups={groups} guidelines={guidelines} />}</ResourceView>
    </div>
  );
}

function UploadBody({ groups, guidelines }: { groups: NamedGroup[]; guidelines: Guidelines | null }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const [params, setParams] = useSearchParams();
  const groupId = groups.some((g) => g.id === params.get('gruppe')) ? params.get('gruppe')! : (groups[0]?.id ?? '');
  const { items, add, retry, clear } = useUploadQueue();
  const [dragging, setDragging] = useState(false);
  const [summary, setSummary] = useState<string | null>(null);
  const hintId = useId();
  const wasActive = useRef(false);

  // When the last file of a batch has its answer, say how it went (the list shows each file).
  const active = items.some(isActive);
  useEffect(() => {
    if (active) {
      wasActive.current = true;
      setSummary(null);
      return;
    }
    if (!wasActive.current) return;
    wasActive.current = false;
    const saved = items.filter((item) => item.status === 'saved').length;
    const refused = items.filter((item) => item.status === 'refused').length;
    setSummary(
      refused === 0
        ? t('photos.upload.summarySaved', { count: saved })
        : saved === 0
          ? t('photos.upload.summaryRefused', { count: refused })
          : t('photos.upload.summaryMixed', { saved: t('photos.upload.photos', { count: saved }), refused: t('photos.upload.files', { count: refused }) }),
    );
  }, [active, items, t]);

  if (groups.length === 0) return <Text>{t('photos.upload.noGroups')}</Text>;
  const mustConfirm = guidelines !== null && guidelines.acknowledgedAt === null;

  function choose(event: ChangeEvent<HTMLInputElement>) {
    add([...(event.target.files ?? [])], groupId);
    // The same file can be chosen again (after a refusal, say).
    event.target.value = '';
  }

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files].filter((file) => file.size > 0 || file.type !== '');
    add(files, groupId);
  }

  function dragOver(event: DragEvent<HTMLDivElement>) {
    if (![...event.dataTransfer.types].includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  }

  const finished = items.filter((item) => !isActive(item)).length;
  return (
    <>
      <Text>{t('photos.upload.intro')}</Text>
      <SelectField
        id="upload-group"
        label={t('photos.upload.group')}
        value={groupId}
        onChange={(event) => setParams({ gruppe: event.target.value }, { replace: true })}
        options={groups.map((group) => ({ value: group.id, label: groupLabel(group, groups) }))}
      />
      {mustConfirm ? (
        <Notice tone="warning" heading={t('photos.upload.confirmFirstHeading')}>
          {t('photos.upload.confirmFirst')} <Link to="/retningslinjer">{t('photos.upload.readGuidelines')}</Link>
        </Notice>
      ) : (
        <div
          className={`drop-zone${dragging ? ' drop-zone--active' : ''}`}
          onDragEnter={dragOver}
          onDragOver={dragOver}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
          }}
          onDrop={drop}
        >
          <FileField
            id="upload-files"
            label={t('photos.upload.choose')}
            description={t('photos.upload.chooseHint')}
            accept="image/*,.heic,.heif"
            multiple
            onChange={choose}
          />
          <div className="camera-only">
            <FileField id="upload-camera" label={t('photos.upload.camera')} accept="image/*" capture="environment" onChange={choose} />
          </div>
          <p id={hintId} className="drop-zone__hint" aria-hidden="true">
            {dragging ? t('photos.upload.dropNow') : t('photos.upload.dropHere')}
          </p>
        </div>
      )}
      <LiveRegion>{summary}</LiveRegion>
      {items.length > 0 && (
        <section aria-labelledby="upload-list" className="stack-tight">
          <SectionHeading id="upload-list">{t('photos.upload.listHeading')}</SectionHeading>
          <ul className="upload-list">
            {items.map((item) => (
              <UploadRow key={item.key} item={item} language={language} onRetry={() => retry(item.key)} />
            ))}
          </ul>
          <div className="button-row">
            <ButtonLink to={`/bilder?gruppe=${encodeURIComponent(groupId)}`}>{t('photos.upload.toLibrary')}</ButtonLink>
            {finished > 0 && (
              <Button variant="tertiary" onClick={clear}>
                {t('photos.upload.clear')}
              </Button>
            )}
          </div>
        </section>
      )}
    </>
  );
}

function UploadRow({ item, language, onRetry }: { item: UploadItem; language: Language; onRetry: () => void }) {
  const { t } = useTranslation();
  const nameId = useId();
  const name = item.file.name || t('photos.upload.unnamed');
  return (
    <li className="upload-item" data-status={item.status}>
      <div className="upload-item__head">
        <span id={nameId} className="upload-item__name">
          {name}
        </span>
        <span className="subtle">{formatBytes(item.file.size, language)}</span>
      </div>
      {(item.status === 'waiting' || item.status === 'sending') && (
        <progress className="upload-item__progress" max={1} value={item.progress} aria-labelledby={nameId} />
      )}
      {item.status === 'processing' && <progress className="upload-item__progress" aria-labelledby={nameId} />}
      <UploadState item={item} onRetry={onRetry} name={name} />
    </li>
  );
}

function UploadState({ item, onRetry, name }: { item: UploadItem; onRetry: () => void; name: string }) {
  const { t } = useTranslation();
  switch (item.status) {
    case 'waiting':
      return <p className="icon-text upload-item__state"><StatusIcon kind="pending" /> {t('photos.upload.waiting')}</p>;
    case 'sending':
      return (
        <p className="icon-text upload-item__state">
          <StatusIcon kind="pending" /> {t('photos.upload.sending', { percent: Math.round(item.progress * 100) })}
        </p>
      );
    case 'processing':
      return <p className="icon-text upload-item__state"><StatusIcon kind="pending" /> {t('photos.upload.processing')}</p>;
    case 'saved':
      return (
        <div className="upload-item__saved">
          {item.photo && <PhotoImage src={item.photo.urls.thumb} width={item.photo.thumbWidth} height={item.photo.thumbHeight} className="upload-item__thumb" />}
          <div className="stack-tight">
            <p className="icon-text upload-item__state">
              <StatusIcon kind="yes" /> {t('photos.upload.saved')}
            </p>
            {item.photo && (
              <p>
                <Link to={`/bilder/${encodeURIComponent(item.photo.id)}`}>
                  {t('photos.upload.tagNow')}
                  <span className="ds-sr-only"> – {name}</span>
                </Link>
              </p>
            )}
          </div>
        </div>
      );
    case 'refused': {
      const code = item.code ?? 'generic';
      const known = knownRefusals.has(code) ? code : 'generic';
      return (
        <div className="stack-tight">
          <p className="icon-text upload-item__state upload-item__refused">
            <StatusIcon kind="no" />
            <span>
              <strong>{t('photos.upload.notSaved')}</strong> {t(`photos.refusal.${known}` as 'photos.refusal.generic')}
            </span>
          </p>
          {code === 'GUIDELINES_NOT_ACKNOWLEDGED' && (
            <p>
              <Link to="/retningslinjer">{t('photos.upload.readGuidelines')}</Link>
            </p>
          )}
          {(retryable(code) || known === 'generic') && (
            <div>
              <Button variant="secondary" data-size="sm" onClick={onRetry}>
                {t('common.retry')}
                <span className="ds-sr-only"> – {name}</span>
              </Button>
            </div>
          )}
        </div>
      );
    }
  }
}
