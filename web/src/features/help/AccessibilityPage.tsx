import { useTranslation } from 'react-i18next';
import { DataTable, ExternalLink, PageHeading, SectionHeading, Text } from '../../components/ui';
import type { Column } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatLongDate } from '../../lib/format';
import type { AutomaticCheck, Criterion } from './wcag';
import { criteria, statementReviewed } from './wcag';

// What the tour checks on every page; the keyboard suites get their own sentence.
const pageChecks: Exclude<AutomaticCheck, 'keyboard'>[] = ['axe', 'page', 'reflow', 'focus'];

/**
 * The accessibility statement, with what a municipality publishes on uustatus.no: the standard,
 * the status of every criterion, how it is tested, and whom to contact. Open to everyone.
 */
export function AccessibilityPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const count = (status: string) => criteria.filter((criterion) => criterion.status === status).length;
  const notMet = criteria.filter((criterion) => criterion.status === 'notMet');
  const columns: Column<Criterion>[] = [
    { key: 'criterion', header: t('accessibility.criterion'), rowHeader: true, cell: (criterion) => `${criterion.id} ${criterion.name[language]}` },
    { key: 'level', header: t('accessibility.level'), cell: (criterion) => criterion.level },
    { key: 'status', header: t('accessibility.status'), cell: (criterion) => t(`accessibility.statuses.${criterion.status}`) },
    {
      key: 'tested',
      header: t('accessibility.tested'),
      cell: (criterion) =>
        criterion.status === 'notApplicable'
          ? t('common.none')
          : criterion.checks.length > 0
            ? t('accessibility.testedBy.automatic')
            : t('accessibility.testedBy.manual'),
    },
  ];

  return (
    <div className="stack page-narrow">
      <PageHeading>{t('accessibility.title')}</PageHeading>
      <Text>{t('accessibility.intro')}</Text>

      <section aria-labelledby="a11y-status" className="stack-tight">
        <SectionHeading id="a11y-status">{t('accessibility.statusHeading')}</SectionHeading>
        <Text>
          {t('accessibility.summary', { met: count('met'), total: criteria.length, notApplicable: count('notApplicable') })}
        </Text>
        {notMet.length === 0 ? (
          <Text>{t('accessibility.allMet')}</Text>
        ) : (
          <>
            <Text>{t('accessibility.notMet')}</Text>
            <ul>
              {notMet.map((criterion) => (
                <li key={criterion.id}>
                  {criterion.id} {criterion.name[language]}
                  {criterion.note && `: ${t(`accessibility.notes.${criterion.note}`)}`}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="a11y-how" className="stack-tight">
        <SectionHeading id="a11y-how">{t('accessibility.howHeading')}</SectionHeading>
        <Text>{t('accessibility.how')}</Text>
        <ul>
          {pageChecks.map((check) => (
            <li key={check}>{t(`accessibility.checks.${check}`)}</li>
          ))}
        </ul>
        <Text>{t('accessibility.checks.keyboard')}</Text>
        <Text>{t('accessibility.manual')}</Text>
      </section>

      <DataTable
        caption={t('accessibility.tableCaption')}
        columns={columns}
        rows={criteria}
        rowKey={(criterion) => criterion.id}
      />

      <section aria-labelledby="a11y-contact" className="stack-tight">
        <SectionHeading id="a11y-contact">{t('accessibility.contactHeading')}</SectionHeading>
        <Text>{t('accessibility.contact')}</Text>
        <Text>{t('accessibility.complain')}</Text>
        <p>
          <ExternalLink href="https://www.uutilsynet.no/">{t('accessibility.uutilsynet')}</ExternalLink>
        </p>
      </section>

      <Text>{t('accessibility.reviewed', { date: formatLongDate(statementReviewed, language) })}</Text>
    </div>
  );
}
