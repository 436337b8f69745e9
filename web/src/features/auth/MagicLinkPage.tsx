import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Link, Loading, Notice, PageHeading, Text } from '../../components/ui';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { useSession } from '../../lib/session';
import { redeemSignInLink } from './auth.api';

/** Only a path inside the app; anything else (another site, //host) goes to the front page. */
function safeNext(next: string | null | undefined): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function MagicLinkPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { token = '' } = useParams();
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    let active = true;
    redeemSignInLink(token)
      .then(({ user, next }) => {
        if (!active) return;
        signedIn(user);
        // replace: the one-time token should not stay in the history
        navigate(safeNext(next), { replace: true });
      })
      .catch((error: unknown) => {
        if (active) setFailure(error ?? new Error('failed'));
      });
    return () => {
      active = false;
    };
  }, [token, signedIn, navigate]);

  if (failure === null) {
    return (
      <div className="stack page-narrow">
        <PageHeading>{t('auth.magic.title')}</PageHeading>
        <Loading label={t('auth.magic.checking')} />
      </div>
    );
  }

  // 400: not a token at all (mangled by a mail client); 401: expired or used.
  const expired = isApiError(failure) && [400, 401, 404, 410].includes(failure.status);
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('auth.magic.expiredTitle')}</PageHeading>
      {expired ? <Text>{t('auth.magic.expired')}</Text> : <Notice tone="danger">{errorText(failure)}</Notice>}
      <p>
        <Link to="/logg-inn">{t('auth.magic.askNew')}</Link>
      </p>
    </div>
  );
}
