import { Fragment, useEffect, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, DataTable, FileField, FormErrors, Link, LiveRegion, Notice, PageHeading, SectionHeading, Text, TextArea } from '../../components/ui';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import type { ImportReport, ImportRowError, ImportSummary } from '../../types/api';
import { importRoster } from './roster.api';

const rosterColumns = [
  'unit',
  'group',
  'child_id',
  'child_first_name',
  'child_last_name',
  'child_birth_date',
  'start_date',
  'guardian_first_name',
  'guardian_last_name',
  'guardian_email',
  'guardian_phone',
  'guardian_role',
  'parental_responsibility',
] as const;

/** Spreadsheets in Norway often save CSV as Windows-1252; anything that is not valid UTF-8 is read as that. */
async function readCsvFile(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

type Checked = { csv: string; report: ImportReport };

export function ImportPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [csv, setCsv] = useState('');
  const [fileStatus, setFileStatus] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const doneHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (checked) reportHeading.current?.focus();
  }, [checked]);
  useEffect(() => {
    if (done) doneHeading.current?.focus();
  }, [done]);

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setCsv(await readCsvFile(file));
    setFileStatus(t('roster.import.fileRead', { name: file.name }));
    setInputError(undefined);
  }

  async function check() {
    if (busy) return;
    setFailure(null);
    setAttempt((n) => n + 1);
    if (!csv.trim()) {
      setInputError(t('roster.import.empty'));
      return;
    }
    setInputError(undefined);
    setBusy('check');
    try {
      setChecked({ csv, report: await importRoster(csv, true) });
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(null);
    }
  }

  async function runImport() {
    if (busy || !canImport) return;
    setFailure(null);
    setBusy('import');
    try {
      setDone(await importRoster(csv, false));
    } catch (caught) {
      if (isApiError(caught, 'IMPORT_HAS_ERRORS') && checked) {
        const errors = (caught.details as { errors?: ImportRowError[] } | undefined)?.errors ?? [];
        setChecked({ csv, report: { ...checked.report, errors } });
      } else {
        setFailure(errorText(caught));
      }
    } finally {
      setBusy(null);
    }
  }

  const stale = checked !== null && checked.csv !== csv;
  const canImport = checked !== null && !stale && checked.report.errors.length === 0;

  if (done) {
    return (
      <div className="stack">
        <PageHeading>{t('roster.import.title')}</PageHeading>
        <section aria-labelledby="import-result" className="stack">
          <SectionHeading id="import-result" ref={doneHeading} focusable>
            {t('roster.import.resultHeading')}
          </SectionHeading>
          <Notice tone="success">{t('roster.import.done')}</Notice>
          <SummaryTable caption={t('roster.import.summaryCaptionDone')} report={done} />
          <p>
            <Link to="/admin/personer">{t('roster.import.toPeople')}</Link>
          </p>
        </section>
      </div>
    );
  }

  return (
    <div className="stack">
      <PageHeading>{t('roster.import.title')}</PageHeading>
      <Text>{t('roster.import.intro')}</Text>
      <section aria-labelledby="import-columns" className="stack">
        <SectionHeading id="import-columns" size="xs">
          {t('roster.import.columnsHeading')}
        </SectionHeading>
        <Text>{t('roster.import.columnsText')}</Text>
        <pre className="code-block">
          <code>
            {rosterColumns.map((column, index) => (
              <Fragment key={column}>
                {index > 0 && (
                  <>
                    ,<wbr />
                  </>
                )}
                {column}
              </Fragment>
            ))}
          </code>
        </pre>
      </section>
      <form className="form" noValidate onSubmit={(event) => (event.preventDefault(), void check())}>
        <FormErrors key={attempt} errors={inputError ? [{ fieldId: 'import-csv', message: inputError }] : []} />
        <FileField id="import-file" label={t('roster.import.file')} accept=".csv,text/csv" onChange={(event) => void chooseFile(event)} />
        <LiveRegion>{fileStatus && <p className="subtle">{fileStatus}</p>}</LiveRegion>
        <TextArea
          id="import-csv"
          label={t('roster.import.paste')}
          rows={8}
          spellCheck={false}
          className="csv-input"
          value={csv}
          onChange={(event) => setCsv(event.target.value)}
          error={inputError}
        />
        <div>
          <Button type="submit" variant={canImport ? 'secondary' : 'primary'} busy={busy === 'check'} busyLabel={t('roster.import.checking')}>
            {t('roster.import.check')}
          </Button>
        </div>
      </form>
      <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
      {checked && (
        <section aria-labelledby="import-report" className="stack">
          <SectionHeading id="import-report" ref={reportHeading} focusable>
            {t('roster.import.reportHeading')}
          </SectionHeading>
          {stale ? (
            <Notice tone="warning">{t('roster.import.changed')}</Notice>
          ) : checked.report.errors.length > 0 ? (
            <Notice tone="danger">{t('roster.import.errorCount', { count: checked.report.errors.length })}</Notice>
          ) : (
            <Notice tone="success">{t('roster.import.noErrors')}</Notice>
          )}
          {checked.report.errors.length > 0 && <ErrorsTable errors={checked.report.errors} />}
          <SummaryTable caption={t('roster.import.summaryCaption')} report={checked.report} />
          <div className="stack-tight">
            <div>
              <Button
                onClick={() => void runImport()}
                disabled={!canImport}
                aria-describedby={canImport ? undefined : 'import-blocked'}
                busy={busy === 'import'}
                busyLabel={t('roster.import.importing')}
              >
                {t('roster.import.import')}
              </Button>
            </div>
            {!canImport && (
              <p id="import-blocked" className="subtle">
                {t('roster.import.importBlocked')}
              </p>
            )}
          </div>
        </section>
      )}
    </div>
  );
}

const summaryKeys = [
  'groupsCreated',
  'childrenCreated',
  'childrenUpdated',
  'guardiansCreated',
  'linksCreated',
  'linksUpdated',
  'membershipsCreated',
  'unchanged',
] as const satisfies ReadonlyArray<keyof ImportSummary>;

function SummaryTable({ caption, report }: { caption: string; report: ImportReport }) {
  const { t } = useTranslation();
  const rows = [
    { key: 'rows', label: t('roster.import.rows'), count: report.rows },
    ...summaryKeys.map((key) => ({ key, label: t(`roster.import.${key}`), count: report.summary[key] ?? 0 })),
  ];
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(row) => row.key}
      columns={[
        { key: 'label', header: t('roster.import.change'), rowHeader: true, cell: (row) => row.label },
        { key: 'count', header: t('roster.import.count'), numeric: true, cell: (row) => row.count },
      ]}
    />
  );
}

const rowErrorCodes = new Set<string>([
  'UNREADABLE_CSV',
  'EMPTY_FILE',
  'TOO_MANY_ROWS',
  'MISSING_COLUMN',
  'REQUIRED',
  'TOO_LONG',
  'INVALID_DATE',
  'INVALID_EMAIL',
  'INVALID_ROLE',
  'INVALID_YES_NO',
  'CONFLICTING_ROWS',
  'UNKNOWN_UNIT',
]);

function ErrorsTable({ errors }: { errors: readonly ImportRowError[] }) {
  const { t } = useTranslation();
  // Known codes in the person's language; the server's own (English) sentence for anything newer.
  const describe = (error: ImportRowError) =>
    rowErrorCodes.has(error.code) ? t(`roster.import.rowErrors.${error.code}` as 'roster.import.rowErrors.REQUIRED') : error.message;
  return (
    <DataTable
      caption={t('roster.import.errorsCaption')}
      rows={errors.map((error, index) => ({ ...error, index }))}
      rowKey={(error) => String(error.index)}
      columns={[
        { key: 'row', header: t('roster.import.row'), numeric: true, rowHeader: true, cell: (error) => error.row },
        { key: 'column', header: t('roster.import.column'), cell: (error) => error.column ?? t('common.none') },
        { key: 'message', header: t('roster.import.message'), wide: true, cell: describe },
      ]}
    />
  );
}
