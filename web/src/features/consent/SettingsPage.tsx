import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Button, FormErrors, LiveRegion, Notice, PageHeading, Text, TextField } from '../../components/ui';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/useResource';
import type { Settings } from '../../types/api';
import { fetchSettings, saveSettings } from './consent.api';
import type { SettingsChanges } from './consent.api';

type Key = 'selfConsentAge' | 'schoolYearEnd' | 'takedownDueHours' | 'retentionUnpublishedDays';
const keys: readonly Key[] = ['selfConsentAge', 'schoolYearEnd', 'takedownDueHours', 'retentionUnpublishedDays'];
const limits = { selfConsentAge: [12, 18], takedownDueHours: [1, 336], retentionUnpublishedDays: [1, 3650] } as const;

/** "07-31" as people write it, "31.07", and back; null when it is not a day of the year. */
const toDayMonth = (value: string) => value.split('-').reverse().join('.');
function fromDayMonth(input: string): string | null {
  const match = /^(\d{1,2})\.(\d{1,2})\.?$/.exec(input.trim());
  if (!match) return null;
  const day = Number(match[1]);
  const month = Number(match[2]);
  // 2024 is a leap year, so 29.02 counts as a real day.
  const date = new Date(Date.UTC(2024, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const shown = (settings: Settings): Record<Key, string> => ({
  selfConsentAge: String(settings.selfConsentAge),
  schoolYearEnd: toDayMonth(settings.schoolYearEnd),
  takedownDueHours: String(settings.takedownDueHours),
  retentionUnpublishedDays: String(settings.retentionUnpublishedDays),
});

/** Admin: the organisation's consent settings; each can go back to the product's default. */
export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useResource((signal) => fetchSettings(signal), []);
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('consent.settings.title')}</PageHeading>
      <Text>{t('consent.settings.intro')}</Text>
      <ResourceView resource={settings}>{(data) => <SettingsForm initial={data} />}</ResourceView>
    </div>
  );
}

function SettingsForm({ initial }: { initial: Settings }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [saved, setSaved] = useState(initial);
  const [values, setValues] = useState(shown(initial));
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(changes: SettingsChanges, text: string) {
    setBusy(true);
    setStatus(null);
    try {
      const next = await saveSettings(changes);
      setSaved(next);
      setValues(shown(next));
      setStatus({ tone: 'success', text });
    } catch (caught) {
      setStatus({ tone: 'danger', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Key, string>> = {};
    const changes: SettingsChanges = {};
    const before = shown(saved);
    for (const key of keys) {
      if (values[key].trim() === before[key]) continue;
      if (key === 'schoolYearEnd') {
        const value = fromDayMonth(values[key]);
        if (!value) found[key] = t('consent.settings.dayInvalid');
        else changes.schoolYearEnd = value;
        continue;
      }
      const [min, max] = limits[key];
      const number = Number(values[key].trim());
      if (!/^\d+$/.test(values[key].trim()) || number < min || number > max) found[key] = t('consent.settings.numberInvalid', { min, max });
      else changes[key] = number;
    }
    setErrors(found);
    setAttempt((n) => n + 1);
    if (Object.keys(found).length > 0) return;
    if (Object.keys(changes).length === 0) {
      setStatus({ tone: 'success', text: t('consent.settings.nothingChanged') });
      return;
    }
    await send(changes, t('consent.settings.saved'));
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)}>
      <FormErrors key={attempt} errors={keys.flatMap((key) => (errors[key] ? [{ fieldId: `setting-${key}`, message: errors[key] }] : []))} />
      {keys.map((key) => {
        const overridden = saved.overridden.includes(key);
        return (
          <div key={key} className="stack-tight">
            <TextField
              id={`setting-${key}`}
              label={t(`consent.settings.${key}`)}
              description={`${t(`consent.settings.hints.${key}`)} ${overridden ? t('consent.settings.overridden') : t('consent.settings.default')}`}
              inputMode={key === 'schoolYearEnd' ? 'decimal' : 'numeric'}
              value={values[key]}
              onChange={(event) => setValues({ ...values, [key]: event.target.value })}
              error={errors[key]}
              autoComplete="off"
              className="field-short"
            />
            {overridden && (
              <div>
                <Button variant="tertiary" data-size="sm" onClick={() => void send({ [key]: null }, t('consent.settings.resetDone', { setting: t(`consent.settings.${key}`) }))}>
                  {t('consent.settings.reset')}
                  <span className="ds-sr-only"> – {t(`consent.settings.${key}`)}</span>
                </Button>
              </div>
            )}
          </div>
        );
      })}
      <LiveRegion>{status && <Notice tone={status.tone}>{status.text}</Notice>}</LiveRegion>
      <div>
        <Button type="submit" busy={busy} busyLabel={t('consent.settings.saving')}>
          {t('consent.settings.save')}
        </Button>
      </div>
    </form>
  );
}
