import { SkipLink } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Link as RouterLink, useLocation } from 'react-router';
import { Button } from './Button';
import { LanguageSwitcher } from './LanguageSwitcher';

export type NavItem = { to: string; label: string; end?: boolean };

export type LayoutProps = {
  children: ReactNode;
  nav?: readonly NavItem[];
  signedInAs?: string;
  onSignOut?: () => void;
  signingOut?: boolean;
  /** Links in the footer of every page (help, the accessibility statement). */
  footerLinks?: readonly NavItem[];
};

/** The frame of every page: skip link, header with menu and language, one main landmark. */
export function Layout({ children, nav = [], signedInAs, onSignOut, signingOut = false, footerLinks = [] }: LayoutProps) {
  const { t } = useTranslation();
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const shownPath = useRef(pathname);

  // After client-side navigation move focus to the new page's h1, as a full page load would
  // put a screen reader at the top; the first load keeps the browser's own behaviour.
  // A page whose code is still loading has no h1 yet: focus it when it arrives, unless the
  // person has moved focus in the meantime.
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    const main = mainRef.current;
    if (!main) return;
    let observer: MutationObserver | null = null;
    const focusHeading = () => {
      const heading = main.querySelector<HTMLElement>('h1');
      if (!heading) return false;
      const active = document.activeElement;
      if (observer === null || active === null || active === document.body || active === main) heading.focus({ preventScroll: false });
      return true;
    };
    const frame = requestAnimationFrame(() => {
      if (focusHeading()) return;
      main.focus({ preventScroll: false });
      observer = new MutationObserver(() => {
        if (focusHeading()) observer?.disconnect();
      });
      observer.observe(main, { childList: true, subtree: true });
    });
    const stop = window.setTimeout(() => observer?.disconnect(), 10_000);
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(stop);
      observer?.disconnect();
    };
  }, [pathname]);

  return (
    <div className="app">
      <SkipLink href="#main">{t('layout.skipLink')}</SkipLink>
      <header className="app-header">
        <div className="app-header__inner">
          <RouterLink to="/" className="app-brand" aria-label={t('layout.home')}>
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>{t('app.name')}</span>
          </RouterLink>
          <div className="app-header__tools">
            <LanguageSwitcher />
            {onSignOut && (
              <div className="app-user">
                {signedInAs && <span className="app-user__email">{t('layout.signedInAs', { email: signedInAs })}</span>}
                <Button variant="secondary" data-size="sm" onClick={onSignOut} busy={signingOut} busyLabel={t('layout.signingOut')}>
                  {t('layout.signOut')}
                </Button>
              </div>
            )}
          </div>
        </div>
        {nav.length > 1 && (
          <nav className="app-nav" aria-label={t('layout.mainNav')}>
            <ul>
              {nav.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        {children}
      </main>
      <footer className="app-footer">
        <div className="app-footer__inner">
          <p>
            {t('app.name')} · {t('app.tagline')}
          </p>
          {footerLinks.length > 0 && (
            <ul className="app-footer__links">
              {footerLinks.map((item) => (
                <li key={item.to}>
                  <RouterLink to={item.to}>{item.label}</RouterLink>
                </li>
              ))}
            </ul>
          )}
        </div>
      </footer>
    </div>
  );
}
