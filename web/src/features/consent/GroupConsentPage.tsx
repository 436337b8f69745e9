import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { Button, Link, LiveRegion, Notice, PageHeading, SelectField, StatusIcon, Text } from '../../components/ui';
import type { StatusKind } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatLongDate, fullName } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { GroupConsentOverview, OverviewCell, PersonRef, Purpose } from '../../types/api';
import { ChildViewDialog } from './ChildViewDialog';
import { fetchOverview } from './consent.api';
import { purposeName, statusKind, useCellWords } from './consent-words';
import { ProtectionDialog } from './ProtectionDialog';
import { RecordConsentDialog } from './RecordConsentDialog';

type Action = { kind: 'record' | 'view' | 'protection'; child: PersonRef } | null;

/**
 * Who in the group may be photographed for what, today: a list staff read on a phone before
 * taking a photo, and print for the wall. Every state is a word and an icon, never colour alone.
 */
export function GroupConsentPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const { unitId = '', groupId = '' } = useParams();
  const user = useUser();
  const overview = useResource((signal) => fetchOverview(groupId, signal), [groupId]);
  const [purposeFilter, setPurposeFilter] = useState('');
  const [action, setAction] = useState<Action>(null);
  const [message, setMessage] = useState<string | null>(null);
  const privileged = user.role === 'leader' || user.role === 'admin';

  const set = overview.status === 'ready' ? overview.set : null;
  const refresh = useCallback(async () => {
    const fresh = await fetchOverview(groupId);
    set?.(fresh);
  }, [groupId, set]);

  const title = overview.status === 'ready' ? t('consent.overview.title', { name: overview.data.group.name }) : t('consent.overview.titleLoading');

  async function done(text: string) {
    setAction(null);
    await refresh().catch(() => undefined);
    setMessage(text);
  }

  return (
    <div className="stack overview-page">
      <PageHeading title={title}>{title}</PageHeading>
      <ResourceView resource={overview}>
        {(data) => (
          <>
            <Text>{t('consent.overview.intro', { date: formatLongDate(data.date, language) })}</Text>
            <div className="overview-tools no-print">
              <SelectField
                id="overview-purpose"
                label={t('consent.overview.filter')}
                value={purposeFilter}
                onChange={(event) => setPurposeFilter(event.target.value)}
                options={[
                  { value: '', label: t('consent.overview.allPurposes') },
                  ...data.purposes.map((purpose) => ({ value: purpose.id, label: purposeName(purpose, language) })),
                ]}
              />
              <div>
                <Button variant="secondary" onClick={() => window.print()}>
                  {t('consent.overview.print')}
                </Button>
              </div>
            </div>
            <Legend />
            <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
            {data.children.length === 0 ? (
              <Text>{t('consent.overview.noChildren')}</Text>
            ) : (
              <ul className="photo-list" aria-label={t('consent.overview.listLabel', { name: data.group.name })}>
                {data.children.map((child) => (
                  <ChildCard
                    key={child.person.id}
                    child={child}
                    purposes={data.purposes.filter((purpose) => !purposeFilter || purpose.id === purposeFilter)}
                    privileged={privileged}
                    onAction={(kind) => {
                      setMessage(null);
                      setAction({ kind, child: child.person });
                    }}
                  />
                ))}
              </ul>
            )}
            <p className="no-print">
              <Link to={`/enheter/${encodeURIComponent(unitId)}/grupper/${encodeURIComponent(groupId)}`}>
                {t('consent.overview.toGroup', { name: data.group.name })}
              </Link>
            </p>
            <RecordConsentDialog
              child={action?.kind === 'record' ? action.child : null}
              onClose={() => setAction(null)}
              onSaved={(text) => void done(text)}
            />
            <ChildViewDialog
              child={action?.kind === 'view' ? action.child : null}
              purposes={data.purposes}
              onClose={() => setAction(null)}
              onSaved={(text) => void done(text)}
            />
            {privileged && (
              <ProtectionDialog
                child={action?.kind === 'protection' ? action.child : null}
                onClose={() => setAction(null)}
                onSaved={(text) => void done(text)}
              />
            )}
          </>
        )}
      </ResourceView>
    </div>
  );
}

function Legend() {
  const { t } = useTranslation();
  const items: { kind: StatusKind; text: string }[] = [
    { kind: 'yes', text: t('consent.overview.legendYes') },
    { kind: 'no', text: t('consent.overview.legendNo') },
    { kind: 'pending', text: t('consent.overview.legendPending') },
  ];
  return (
    <ul className="status-legend" aria-label={t('consent.overview.legend')}>
      {items.map((item) => (
        <li key={item.kind}>
          <StatusIcon kind={item.kind} /> {item.text}
        </li>
      ))}
    </ul>
  );
}

function ChildCard({
  child,
  purposes,
  privileged,
  onAction,
}: {
  child: GroupConsentOverview['children'][number];
  purposes: readonly Purpose[];
  privileged: boolean;
  onAction: (kind: 'record' | 'view' | 'protection') => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const name = fullName(child.person);
  return (
    <li className="photo-card">
      <h2 id={headingId} className="photo-card__name">
        {name}
      </h2>
      <ul className="photo-card__purposes">
        {purposes.map((purpose) => (
          <PurposeLine key={purpose.id} purpose={purpose} cells={child.cells.filter((cell) => cell.purposeId === purpose.id)} />
        ))}
      </ul>
      <div className="photo-card__actions no-print">
        <Button variant="secondary" data-size="sm" onClick={() => onAction('record')}>
          {t('consent.overview.record')}
          <span className="ds-sr-only"> – {name}</span>
        </Button>
        <Button variant="tertiary" data-size="sm" onClick={() => onAction('view')}>
          {t('consent.overview.childView')}
          <span className="ds-sr-only"> – {name}</span>
        </Button>
        {privileged && (
          <Button variant="tertiary" data-size="sm" onClick={() => onAction('protection')}>
            {t('consent.overview.protection')}
            <span className="ds-sr-only"> – {name}</span>
          </Button>
        )}
      </div>
    </li>
  );
}

function PurposeLine({ purpose, cells }: { purpose: Purpose; cells: readonly OverviewCell[] }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const cellWords = useCellWords();
  const photo = cells.find((cell) => cell.question === 'photo');
  const firstName = cells.find((cell) => cell.question === 'first_name');
  if (!photo) return null;
  // Press consent is asked per occasion, so "today" it is never a plain yes.
  const kind = purpose.perOccasion ? 'pending' : statusKind(photo.valid, photo.reasons);
  return (
    <li className="purpose-line" data-state={kind}>
      <StatusIcon kind={kind} />
      <span>
        <span className="purpose-line__name">{purposeName(purpose, language)}: </span>
        {purpose.perOccasion ? t('consent.cell.perOccasion') : cellWords(photo)}.
        {firstName && photo.valid && (
          <span className="purpose-line__first-name">
            {' '}
            {t('consent.cell.firstName', { answer: cellWords(firstName).toLocaleLowerCase(language) })}
          </span>
        )}
      </span>
    </li>
  );
}
