import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api';

const known = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'VALIDATION_FAILED',
  'CONFLICT',
  'NETWORK_ERROR',
  'NOTICE_OUTDATED',
  'NO_NOTICE',
  'NOT_A_RESPONSIBLE_GUARDIAN',
  'DECIDES_FOR_THEMSELF',
  'NOT_SELF_CONSENT_AGE',
  'PURPOSE_EXISTS',
  'CHANNEL_EXISTS',
]);

/** A sentence the person can act on, in their language; server messages are for developers. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (isApiError(error)) {
        if (known.has(error.code)) return t(`errors.${error.code}` as 'errors.generic');
        if (error.status === 401) return t('errors.UNAUTHENTICATED');
        if (error.status === 403) return t('errors.FORBIDDEN');
        if (error.status === 404) return t('errors.NOT_FOUND');
        if (error.status === 409) return t('errors.CONFLICT');
        if (error.status === 429) return t('errors.RATE_LIMITED');
        if (error.status === 400 || error.status === 422) return t('errors.VALIDATION_FAILED');
      }
      return t('errors.generic');
    },
    [t],
  );
}
