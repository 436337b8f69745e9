import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Button, Dialog, LiveRegion, Notice, Text } from '../../components/ui';
import { useErrorText } from '../../lib/errors';
import { fullName } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import type { PersonRef } from '../../types/api';
import { fetchProtection, setProtection } from './consent.api';

/**
 * Sets or clears a person's protection flag, after showing what it does. No reason is asked
 * for or shown: the product never stores one.
 */
export function ProtectionDialog({ child, onClose, onSaved }: { child: PersonRef | null; onClose: () => void; onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={child !== null} onClose={onClose} title={child ? t('consent.protection.title', { name: fullName(child) }) : ''}>
      {child && <ProtectionForm child={child} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function ProtectionForm({ child, onClose, onSaved }: { child: PersonRef; onClose: () => void; onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const current = useResource((signal) => fetchProtection(child.id, signal), [child.id]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = fullName(child);

  async function change(value: boolean) {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const saved = await setProtection(child.id, value);
      onSaved(t(saved ? 'consent.protection.savedOn' : 'consent.protection.savedOff', { name }));
    } catch (error) {
      setFailure(errorText(error));
      setBusy(false);
    }
  }

  return (
    <ResourceView resource={current}>
      {(isProtected) => (
        <div className="stack">
          <p className="protection-state">
            <strong>{isProtected ? t('consent.protection.isOn', { name }) : t('consent.protection.isOff', { name })}</strong>
          </p>
          <Text>{t('consent.protection.explain')}</Text>
          <Text>{t('consent.protection.noReason')}</Text>
          <Text>{isProtected ? t('consent.protection.confirmOff', { name }) : t('consent.protection.confirmOn', { name })}</Text>
          <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
          <div className="button-row">
            <Button onClick={() => void change(!isProtected)} busy={busy} busyLabel={t('consent.protection.saving')}>
              {isProtected ? t('consent.protection.turnOff') : t('consent.protection.turnOn')}
            </Button>
            <Button variant="tertiary" onClick={onClose}>
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      )}
    </ResourceView>
  );
}
