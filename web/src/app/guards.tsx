import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { Button, Loading, Notice, PageHeading } from '../components/ui';
import { useErrorText } from '../lib/errors';
import { useSession } from '../lib/session';
import type { Role } from '../types/api';
import { ForbiddenPage } from './ErrorPages';

/** Pages behind sign-in; `roles` narrows who may see them. */
export function RequireSession({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { session, reload } = useSession();
  const location = useLocation();

  if (session.status === 'loading') {
    return (
      <>
        <PageHeading>{t('app.name')}</PageHeading>
        <Loading />
      </>
    );
  }
  if (session.status === 'failed') {
    return (
      <div className="stack">
        <PageHeading>{t('app.name')}</PageHeading>
        <Notice tone="danger">{errorText(session.error)}</Notice>
        <div>
          <Button variant="secondary" onClick={reload}>
            {t('common.retry')}
          </Button>
        </div>
      </div>
    );
  }
  if (session.status === 'anonymous') {
    return <Navigate to="/logg-inn" replace state={{ from: location.pathname + location.search }} />;
  }
  if (roles && !roles.includes(session.user.role)) return <ForbiddenPage />;
  return <>{children}</>;
}
