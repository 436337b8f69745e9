import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Layout, Loading } from '../components/ui';
import type { NavItem } from '../components/ui';
import { useSession } from '../lib/session';
import { CrashBoundary } from './ErrorPages';
import { preloadStaffPages } from './lazy';

export function AppLayout() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [framed, setFramed] = useState(false);
  useEffect(() => {
    if (session.status !== 'loading') setFramed(true);
  }, [session.status]);
  const [signingOut, setSigningOut] = useState(false);
  const user = session.status === 'authenticated' ? session.user : null;

  const home: NavItem = { to: '/', label: t('nav.home'), end: true };
  const photos: NavItem = { to: '/bilder', label: t('nav.photos') };
  const upload: NavItem = { to: '/bilder/last-opp', label: t('nav.upload') };
  const takedowns: NavItem = { to: '/nedtakinger', label: t('nav.takedowns') };
  const guidelines: NavItem = { to: '/retningslinjer', label: t('nav.guidelines') };
  const nav: NavItem[] = !user
    ? []
    : user.role === 'admin'
      ? [
          home,
          { to: '/admin/enheter', label: t('nav.units') },
          { to: '/admin/personer', label: t('nav.people') },
          { to: '/admin/import', label: t('nav.import') },
          { to: '/admin/formal', label: t('nav.purposes') },
          { to: '/admin/kanaler', label: t('nav.channels') },
          { to: '/publiseringer', label: t('nav.publications') },
          guidelines,
          { to: '/admin/innstillinger', label: t('nav.settings') },
        ]
      : user.role === 'leader'
        ? [
            home,
            photos,
            { to: '/godkjenning', label: t('nav.review') },
            takedowns,
            { to: '/publiseringer', label: t('nav.publications') },
            { to: '/samtykkerunder', label: t('nav.rounds') },
            guidelines,
          ]
        : user.role === 'staff'
          ? [home, { ...photos, end: true }, upload, takedowns, guidelines]
          : user.role === 'guardian' || user.role === 'pupil'
            ? [home, { to: '/samtykke', label: user.role === 'guardian' ? t('nav.myChildren') : t('nav.myConsents') }]
            : [];

  const footerLinks: NavItem[] = [
    { to: '/hjelp', label: t('footer.help') },
    { to: '/tilgjengelighet', label: t('footer.accessibility') },
  ];

  // Staff pages come in their own chunk; fetch it while the person reads the front page.
  const role = user?.role;
  useEffect(() => {
    if (role === 'admin' || role === 'leader' || role === 'staff') void preloadStaffPages().catch(() => undefined);
  }, [role]);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } catch {
      // The session is forgotten in the browser either way; the cookie expires on its own.
    } finally {
      setSigningOut(false);
      navigate('/logg-inn', { replace: true });
    }
  }

  // Until the server has first said who is signed in, the menu's height is unknown: show only
  // that the page is loading, rather than a header that grows under the reader's eyes (a layout
  // jump) a moment later. Once shown, the frame stays (a retry keeps focus where it is).
  if (session.status === 'loading' && !framed) {
    return (
      <div className="app">
        <main id="main" className="app-main">
          <Loading />
        </main>
      </div>
    );
  }

  return (
    <Layout nav={nav} signedInAs={user?.email} onSignOut={user ? () => void handleSignOut() : undefined} signingOut={signingOut} footerLinks={footerLinks}>
      <CrashBoundary key={pathname}>
        <Outlet />
      </CrashBoundary>
    </Layout>
  );
}
