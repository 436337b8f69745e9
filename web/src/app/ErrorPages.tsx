import { Component, useEffect } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Link, PageHeading, Text } from '../components/ui';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('notFound.title')}</PageHeading>
      <Text>{t('notFound.text')}</Text>
      <Text>{t('notFound.help')}</Text>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </div>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('forbidden.title')}</PageHeading>
      <Text>{t('forbidden.text')}</Text>
      <p>
        <Link to="/">{t('forbidden.home')}</Link>
      </p>
    </div>
  );
}

/** What a person sees when a page fails to show: what happened, what is safe, and what to do. */
export function CrashPage() {
  const { t } = useTranslation();
  // What had focus (the button that led here) is gone: start the reader at the page's heading.
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, []);
  return (
    <div className="stack page-narrow">
      <PageHeading>{t('crash.title')}</PageHeading>
      <Text>{t('crash.text')}</Text>
      <Text>{t('crash.saved')}</Text>
      <div className="button-row">
        <Button onClick={() => window.location.reload()}>{t('crash.reload')}</Button>
      </div>
      <p>
        <Link to="/">{t('crash.home')}</Link>
      </p>
      <Text>{t('crash.help')}</Text>
    </div>
  );
}

/**
 * Catches what a page throws while it renders (a bug, or a page's code that could not be
 * downloaded) and shows the crash page instead of a blank screen. The layout keys it by address,
 * so going to another page tries again. Nothing about the error is sent anywhere.
 */
export class CrashBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <CrashPage /> : this.props.children;
  }
}
