import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { Button, FormErrors, LiveRegion, Notice, PageHeading, Panel, SectionHeading, Text, TextField } from '../../components/ui';
import type { FormError } from '../../components/ui';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { isEmail } from '../../lib/format';
import { useSession } from '../../lib/session';
import { currentLanguage } from '../../i18n';
import { requestSignInLink, signIn } from './auth.api';

/** Where the person was going before being sent to sign in; only paths inside the app. */
function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const location = useLocation();
  // Signing in below changes the session, and this sends the person on.
  if (session.status === 'authenticated') return <Navigate to={returnPath(location.state)} replace />;
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('auth.login.title')}</PageHeading>
      <PasswordForm />
      <LinkForm />
    </div>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { signedIn } = useSession();
  const headingId = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: typeof errors = {};
    if (!email.trim()) found.email = t('auth.login.emailRequired');
    else if (!isEmail(email)) found.email = t('auth.login.emailInvalid');
    if (!password) found.password = t('auth.login.passwordRequired');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0) return;

    setBusy(true);
    try {
      const { user } = await signIn(email.trim(), password);
      signedIn(user);
    } catch (error) {
      setFailure(isApiError(error, 'UNAUTHENTICATED') ? t('auth.login.invalidCredentials') : errorText(error));
      setBusy(false);
    }
  }

  const summary: FormError[] = [];
  if (errors.email) summary.push({ fieldId: 'login-email', message: errors.email });
  if (errors.password) summary.push({ fieldId: 'login-password', message: errors.password });

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('auth.login.passwordHeading')}</SectionHeading>
      <Text>{t('auth.login.passwordIntro')}</Text>
      <form className="form" noValidate onSubmit={submit}>
        <FormErrors key={attempt} errors={summary} />
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <TextField
          id="login-email"
          label={t('auth.login.email')}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.email}
        />
        <TextField
          id="login-password"
          label={t('auth.login.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.password}
        />
        <div>
          <Button type="submit" busy={busy} busyLabel={t('auth.login.submitting')}>
            {t('auth.login.submit')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function LinkForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const headingId = useId();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found = !email.trim() ? t('auth.login.emailRequired') : !isEmail(email) ? t('auth.login.emailInvalid') : undefined;
    setError(found);
    setAttempt((n) => n + 1);
    setStatus(null);
    if (found) return;

    setBusy(true);
    try {
      await requestSignInLink(email.trim(), currentLanguage());
      setStatus({ tone: 'success', text: t('auth.link.sent') });
    } catch (failure) {
      setStatus({ tone: 'danger', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('auth.link.heading')}</SectionHeading>
      <Text>{t('auth.link.intro')}</Text>
      <form className="form" noValidate onSubmit={submit}>
        <FormErrors key={attempt} errors={error ? [{ fieldId: 'link-email', message: error }] : []} />
        <TextField
          id="link-email"
          label={t('auth.link.email')}
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={error}
        />
        <div>
          <Button type="submit" variant="secondary" busy={busy} busyLabel={t('auth.link.submitting')}>
            {t('auth.link.submit')}
          </Button>
        </div>
        <LiveRegion>{status && <Notice tone={status.tone}>{status.text}</Notice>}</LiveRegion>
      </form>
    </Panel>
  );
}
