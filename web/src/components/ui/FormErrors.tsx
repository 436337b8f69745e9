import { ErrorSummary } from '@digdir/designsystemet-react';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';

export type FormError = { fieldId: string; message: string };

/**
 * The error summary at the top of a form. It takes focus when it appears (Designsystemet's
 * ds-error-summary does that); render it with a new `key` per submit so it takes focus again.
 */
export function FormErrors({ errors }: { errors: readonly FormError[] }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;

  function focusField(event: MouseEvent<HTMLAnchorElement>, fieldId: string) {
    const field = document.getElementById(fieldId);
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: 'center' });
  }

  return (
    <ErrorSummary className="form-errors">
      <ErrorSummary.Heading level={2} data-size="xs">
        {t('form.errorSummary')}
      </ErrorSummary.Heading>
      <ErrorSummary.List>
        {errors.map((error) => (
          <ErrorSummary.Item key={error.fieldId}>
            <ErrorSummary.Link href={`#${error.fieldId}`} onClick={(event) => focusField(event, error.fieldId)}>
              {error.message}
            </ErrorSummary.Link>
          </ErrorSummary.Item>
        ))}
      </ErrorSummary.List>
    </ErrorSummary>
  );
}
