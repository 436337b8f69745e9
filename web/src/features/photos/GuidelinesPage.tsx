import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Button, DataTable, LiveRegion, Notice, PageHeading, Panel, SectionHeading, SelectField, StatusIcon, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { GuidelineAcknowledgements, Guidelines } from '../../types/api';
import { acknowledgeGuidelines, fetchAcknowledgements, fetchGuidelines, fetchUnits } from './photos.api';
import { PublishGuidelinesForm } from './PublishGuidelinesForm';

/**
 * The municipality's guidelines for photos and social media. Staff and leaders confirm the
 * current version as read and understood before they upload or publish; leaders see who has.
 */
export function GuidelinesPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const user = useUser();
  const guidelines = useResource((signal) => fetchGuidelines(language, signal), [language]);
  const [message, setMessage] = useState<string | null>(null);

  const title = guidelines.status === 'ready' && guidelines.data ? guidelines.data.title : t('photos.guidelines.title');
  const set = guidelines.status === 'ready' ? guidelines.set : null;

  return (
    <div className="stack">
      <PageHeading title={title}>{title}</PageHeading>
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <ResourceView resource={guidelines}>
        {(current) => (
          <>
            {current === null ? (
              <Text>{t('photos.guidelines.none')}</Text>
            ) : (
              <>
                <GuidelinesText guidelines={current} />
                {(user.role === 'staff' || user.role === 'leader') && (
                  <Acknowledge
                    guidelines={current}
                    onConfirmed={async () => {
                      const fresh = await fetchGuidelines(language);
                      set?.(fresh);
                      setMessage(t('photos.guidelines.confirmed', { version: current.version }));
                    }}
                  />
                )}
              </>
            )}
            {(user.role === 'leader' || user.role === 'admin') && current !== null && <WhoHasConfirmed />}
            {user.role === 'admin' && (
              <PublishGuidelinesForm
                current={current}
                onPublished={async (version) => {
                  const fresh = await fetchGuidelines(language);
                  set?.(fresh);
                  setMessage(t('photos.guidelines.published', { version }));
                }}
              />
            )}
          </>
        )}
      </ResourceView>
    </div>
  );
}

function GuidelinesText({ guidelines }: { guidelines: Guidelines }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const paragraphs = guidelines.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return (
    <>
      <p className="subtle">
        {t('photos.guidelines.version', { version: guidelines.version })}
        {guidelines.publishedAt && ` · ${t('photos.guidelines.publishedAt', { date: formatDateTime(guidelines.publishedAt, language) })}`}
      </p>
      {guidelines.lang !== language && <Notice tone="info">{t('photos.guidelines.otherLanguage')}</Notice>}
      <div className="guidelines-text" lang={guidelines.lang}>
        {paragraphs.map((paragraph, index) => (
          <p key={index}>{paragraph}</p>
        ))}
      </div>
    </>
  );
}

function Acknowledge({ guidelines, onConfirmed }: { guidelines: Guidelines; onConfirmed: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function confirm() {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await acknowledgeGuidelines(guidelines.version);
      await onConfirmed();
    } catch (caught) {
      setFailure(isApiError(caught, 'GUIDELINES_OUTDATED') ? t('photos.guidelines.outdated') : errorText(caught));
      if (isApiError(caught, 'GUIDELINES_OUTDATED')) await onConfirmed().catch(() => undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel labelledBy="guidelines-confirm">
      <SectionHeading id="guidelines-confirm">{t('photos.guidelines.confirmHeading')}</SectionHeading>
      {guidelines.acknowledgedAt ? (
        <p className="icon-text">
          <StatusIcon kind="yes" />
          <span>{t('photos.guidelines.confirmedAt', { version: guidelines.version, date: formatDateTime(guidelines.acknowledgedAt, language) })}</span>
        </p>
      ) : (
        <>
          <Text>{t('photos.guidelines.confirmIntro')}</Text>
          <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
          <div>
            <Button onClick={() => void confirm()} busy={busy} busyLabel={t('photos.guidelines.confirming')}>
              {t('photos.guidelines.confirm')}
            </Button>
          </div>
        </>
      )}
    </Panel>
  );
}

/** Leaders see their unit; an admin chooses the unit. */
function WhoHasConfirmed() {
  const { t } = useTranslation();
  const user = useUser();
  const units = useResource((signal) => fetchUnits(signal), []);
  const [unitId, setUnitId] = useState<string>(user.unitId ?? '');
  const chosen = unitId || (units.status === 'ready' ? (units.data[0]?.id ?? '') : '');
  return (
    <section aria-labelledby="guidelines-who" className="stack-tight">
      <SectionHeading id="guidelines-who">{t('photos.guidelines.whoHeading')}</SectionHeading>
      <ResourceView resource={units}>
        {(list) => (
          <>
            {user.role === 'admin' && list.length > 1 && (
              <SelectField
                id="guidelines-unit"
                label={t('photos.guidelines.unit')}
                value={chosen}
                onChange={(event) => setUnitId(event.target.value)}
                options={list.map((unit) => ({ value: unit.id, label: unit.name }))}
              />
            )}
            {chosen && <AcknowledgementTable key={chosen} unitId={chosen} unitName={list.find((u) => u.id === chosen)?.name ?? ''} />}
          </>
        )}
      </ResourceView>
    </section>
  );
}

function AcknowledgementTable({ unitId, unitName }: { unitId: string; unitName: string }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const list = useResource((signal) => fetchAcknowledgements(unitId, signal), [unitId]);
  return (
    <ResourceView resource={list}>
      {(data: GuidelineAcknowledgements) => {
        const missing = data.people.filter((p) => !p.acknowledgedAt).length;
        return (
          <>
            <Text>
              {missing === 0 ? t('photos.guidelines.allConfirmed', { version: data.version }) : t('photos.guidelines.someMissing', { count: missing, version: data.version })}
            </Text>
            {data.people.length > 0 && (
              <DataTable
                caption={t('photos.guidelines.whoCaption', { unit: unitName, version: data.version })}
                rows={[...data.people].sort((a, b) => Number(!!a.acknowledgedAt) - Number(!!b.acknowledgedAt) || a.email.localeCompare(b.email))}
                rowKey={(row) => row.accountId}
                columns={[
                  { key: 'email', header: t('photos.guidelines.email'), cell: (row) => row.email, rowHeader: true },
                  { key: 'role', header: t('photos.guidelines.role'), cell: (row) => t(`photos.guidelines.roles.${row.role}` as 'photos.guidelines.roles.staff') },
                  {
                    key: 'when',
                    header: t('photos.guidelines.confirmedColumn'),
                    cell: (row) => (
                      <span className="icon-text">
                        <StatusIcon kind={row.acknowledgedAt ? 'yes' : 'no'} />
                        <span>{row.acknowledgedAt ? formatDateTime(row.acknowledgedAt, language) : t('photos.guidelines.notConfirmed')}</span>
                      </span>
                    ),
                  },
                ]}
              />
            )}
          </>
        );
      }}
    </ResourceView>
  );
}
