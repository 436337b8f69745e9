import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../lib/errors';
import type { Resource } from '../lib/useResource';
import { Button, Loading, Notice } from './ui';

/** Shows a loading state, an error with "try again", or the loaded data. */
export function ResourceView<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'failed') {
    return (
      <div className="stack">
        <Notice tone="danger">{errorText(resource.error)}</Notice>
        <div>
          <Button variant="secondary" onClick={resource.reload}>
            {t('common.retry')}
          </Button>
        </div>
      </div>
    );
  }
  return <>{children(resource.data)}</>;
}
