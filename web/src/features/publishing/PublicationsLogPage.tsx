import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { Button, DataTable, DownloadLink, FormErrors, Link, PageHeading, SectionHeading, SelectField, StatusIcon, Text, TextField } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatDate, formatDateTime, parseDate } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { publicationStatuses } from '../../types/api';
import type { Channel, Publication, PublicationStatus, Unit } from '../../types/api';
import { fetchChannels, fetchPublications, fetchUnits, publicationsCsvUrl } from './publishing.api';
import type { PublicationFilter } from './publishing.api';
import { statusKindOf } from './publishing-words';

/** The start of a day where the person is (Norway), as an instant; `days` later for an end that includes the day. */
function dayStart(isoDate: string, days = 0): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day + days).toISOString();
}

const isStatus = (value: string | null): value is PublicationStatus => publicationStatuses.includes(value as PublicationStatus);

/** The filter as it stands in the address, so a filtered log can be bookmarked and shared. */
function filterFrom(params: URLSearchParams): PublicationFilter & { fromDate?: string; toDate?: string } {
  const from = parseDate(params.get('fra') ?? '');
  const to = parseDate(params.get('til') ?? '');
  const status = params.get('status');
  return {
    ...(params.get('enhet') ? { unitId: params.get('enhet')! } : {}),
    ...(params.get('kanal') ? { channelId: params.get('kanal')! } : {}),
    ...(isStatus(status) ? { status } : {}),
    ...(from ? { from: dayStart(from), fromDate: from } : {}),
    ...(to ? { to: dayStart(to, 1), toDate: to } : {}),
  };
}

/** Leaders and admins: every publication, who asked, where, when, with what status; as CSV too. */
export function PublicationsLogPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { unitId, channelId, status, from, to } = filterFrom(params);
  const query: PublicationFilter = { unitId, channelId, status, from, to };
  const options = useResource(async (signal) => {
    const [units, channels] = await Promise.all([fetchUnits(signal), fetchChannels(signal)]);
    return { units, channels };
  }, []);
  const key = JSON.stringify(query);
  const log = useResource((signal) => fetchPublications({ ...query, limit: 500 }, signal), [key]);
  return (
    <div className="stack">
      <PageHeading>{t('publishing.log.title')}</PageHeading>
      <Text>{t('publishing.log.intro')}</Text>
      <ResourceView resource={options}>
        {({ units, channels }) => (
          <>
            <LogFilter key={params.toString()} units={units} channels={channels} />
            <section aria-labelledby="log-results" className="stack-tight">
              <SectionHeading id="log-results">{t('publishing.log.resultsHeading')}</SectionHeading>
              <p>
                <DownloadLink href={publicationsCsvUrl(query)}>{t('publishing.log.csv')}</DownloadLink>
              </p>
              <ResourceView resource={log}>{(rows) => <LogTable rows={rows} channels={channels} units={units} />}</ResourceView>
            </section>
          </>
        )}
      </ResourceView>
    </div>
  );
}

function LogFilter({ units, channels }: { units: Unit[]; channels: Channel[] }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const current = filterFrom(params);
  const [unitId, setUnitId] = useState(current.unitId ?? '');
  const [channelId, setChannelId] = useState(current.channelId ?? '');
  const [status, setStatus] = useState<string>(current.status ?? '');
  const [from, setFrom] = useState(current.fromDate ? formatDate(current.fromDate, 'nb') : '');
  const [to, setTo] = useState(current.toDate ? formatDate(current.toDate, 'nb') : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const fromIso = from.trim() ? parseDate(from) : null;
    const toIso = to.trim() ? parseDate(to) : null;
    if (from.trim() && !fromIso) found['log-from'] = t('publishing.log.dateInvalid');
    if (to.trim() && !toIso) found['log-to'] = t('publishing.log.dateInvalid');
    if (fromIso && toIso && toIso < fromIso) found['log-to'] = t('publishing.log.toBeforeFrom');
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) return;
    const next = new URLSearchParams();
    if (unitId) next.set('enhet', unitId);
    if (channelId) next.set('kanal', channelId);
    if (status) next.set('status', status);
    if (fromIso) next.set('fra', fromIso);
    if (toIso) next.set('til', toIso);
    setParams(next);
  }

  const shownChannels = unitId ? channels.filter((c) => c.unitId === null || c.unitId === unitId) : channels;
  return (
    <form className="form form-filter" noValidate onSubmit={submit} aria-label={t('publishing.log.filterLabel')}>
      <FormErrors key={attempt} errors={Object.entries(errors).map(([fieldId, message]) => ({ fieldId, message }))} />
      {units.length > 1 && (
        <SelectField
          id="log-unit"
          label={t('publishing.log.unit')}
          value={unitId}
          onChange={(event) => setUnitId(event.target.value)}
          options={[{ value: '', label: t('publishing.log.allUnits') }, ...units.map((u) => ({ value: u.id, label: u.name }))]}
        />
      )}
      <SelectField
        id="log-channel"
        label={t('publishing.log.channel')}
        value={channelId}
        onChange={(event) => setChannelId(event.target.value)}
        options={[{ value: '', label: t('publishing.log.allChannels') }, ...shownChannels.map((c) => ({ value: c.id, label: c.name }))]}
      />
      <SelectField
        id="log-status"
        label={t('publishing.log.status')}
        value={status}
        onChange={(event) => setStatus(event.target.value)}
        options={[{ value: '', label: t('publishing.log.allStatuses') }, ...publicationStatuses.map((s) => ({ value: s, label: t(`publishing.status.${s}`) }))]}
      />
      <TextField
        id="log-from"
        label={t('publishing.log.from')}
        description={t('common.dateHint')}
        optional
        inputMode="numeric"
        value={from}
        onChange={(event) => setFrom(event.target.value)}
        error={errors['log-from']}
        autoComplete="off"
      />
      <TextField
        id="log-to"
        label={t('publishing.log.to')}
        description={t('common.dateHint')}
        optional
        inputMode="numeric"
        value={to}
        onChange={(event) => setTo(event.target.value)}
        error={errors['log-to']}
        autoComplete="off"
      />
      <div>
        <Button type="submit">{t('publishing.log.apply')}</Button>
      </div>
    </form>
  );
}

function LogTable({ rows, channels, units }: { rows: Publication[]; channels: Channel[]; units: Unit[] }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const channelNames = new Map(channels.map((c) => [c.id, c.name]));
  const unitNames = new Map(units.map((u) => [u.id, u.name]));
  if (rows.length === 0) return <Text>{t('publishing.log.none')}</Text>;
  return (
    <>
      <Text>{t('publishing.log.count', { count: rows.length })}</Text>
      <DataTable
        caption={t('publishing.log.caption')}
        captionHidden
        rows={rows}
        rowKey={(row) => row.id}
        columns={[
          {
            key: 'when',
            header: t('publishing.log.requestedAt'),
            rowHeader: true,
            cell: (row) => <Link to={`/publiseringer/${encodeURIComponent(row.id)}`}>{formatDateTime(row.requestedAt, language)}</Link>,
          },
          { key: 'channel', header: t('publishing.log.channel'), cell: (row) => channelNames.get(row.channelId) ?? '' },
          ...(units.length > 1 ? [{ key: 'unit', header: t('publishing.log.unit'), cell: (row: Publication) => unitNames.get(row.unitId) ?? '' }] : []),
          {
            key: 'status',
            header: t('publishing.log.status'),
            cell: (row) => (
              <span className="icon-text">
                <StatusIcon kind={statusKindOf(row.status)} />
                <span>{t(`publishing.status.${row.status}`)}</span>
              </span>
            ),
          },
          { key: 'published', header: t('publishing.log.publishedAt'), cell: (row) => (row.publishedAt ? formatDateTime(row.publishedAt, language) : t('common.none')) },
          { key: 'caption', header: t('publishing.log.captionColumn'), wide: true, cell: (row) => row.caption || row.altText },
        ]}
      />
    </>
  );
}
