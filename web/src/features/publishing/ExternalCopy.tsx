import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, DownloadLink, LiveRegion, Notice, Text, TextField } from '../../components/ui';
import { useErrorText } from '../../lib/errors';
import type { Publication } from '../../types/api';
import { publicationImageUrl, recordExternalUrl } from './publishing.api';

const isUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * For a channel Samtykke does not host (Facebook, print, the press): the channel-sized copy to
 * download, and where it was posted, so it can be found and taken down later.
 */
export function ExternalCopy({ publication, channelName, onSaved }: { publication: Publication; channelName: string; onSaved?: (publication: Publication) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [url, setUrl] = useState(publication.externalUrl ?? '');
  const [saved, setSaved] = useState(publication.externalUrl);
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setMessage(null);
    setFailure(null);
    if (!isUrl(url.trim())) {
      setError(t('publishing.external.urlInvalid'));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const updated = await recordExternalUrl(publication.id, url.trim());
      setSaved(updated.externalUrl);
      setMessage(t('publishing.external.saved'));
      onSaved?.(updated);
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack-tight external-copy">
      {publication.urls.image && (
        <>
          <Text>{t('publishing.external.download', { channel: channelName })}</Text>
          <p>
            <DownloadLink href={publicationImageUrl(publication.id)}>{t('publishing.external.downloadLink')}</DownloadLink>
          </p>
        </>
      )}
      <form className="form form-inline" noValidate onSubmit={(event) => void submit(event)}>
        <TextField
          id={fieldId}
          type="url"
          inputMode="url"
          label={t('publishing.external.url')}
          description={saved ? t('publishing.external.urlSaved', { url: saved }) : t('publishing.external.urlHint')}
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          error={error}
          autoComplete="off"
          spellCheck={false}
        />
        <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <div>
          <Button type="submit" variant="secondary" busy={busy} busyLabel={t('publishing.external.saving')}>
            {t('publishing.external.save')}
          </Button>
        </div>
      </form>
    </div>
  );
}
