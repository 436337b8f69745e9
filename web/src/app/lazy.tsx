import { lazy, Suspense } from 'react';
import type { ComponentType } from 'react';
import { Loading } from '../components/ui';

/** Loads a chunk of pages once; a failed download (a network blip) is tried again next time, not remembered. */
function chunk<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = null;
      throw error;
    }));
}

type StaffPages = typeof import('./staff-pages');
type GuardianPages = typeof import('./guardian-pages');
type HelpPages = typeof import('./help-pages');

/** Starts (once) downloading the staff pages; the layout calls it as soon as a staff member signs in. */
export const preloadStaffPages = chunk<StaffPages>(() => import('./staff-pages'));
const loadGuardianPages = chunk<GuardianPages>(() => import('./guardian-pages'));
const loadHelpPages = chunk<HelpPages>(() => import('./help-pages'));

function page<T>(load: () => Promise<T>, name: keyof T): ComponentType {
  // React remembers a lazy component's failed download for good: after a failure, the next
  // visit gets a fresh one, so the page works again once the network does.
  const fresh = (): ComponentType =>
    lazy(() =>
      load().then(
        (pages) => ({ default: pages[name] as ComponentType }),
        (error: unknown) => {
          Page = fresh();
          throw error;
        },
      ),
    );
  let Page = fresh();
  return function LazyPage() {
    const Current = Page;
    return (
      <Suspense fallback={<Loading />}>
        <Current />
      </Suspense>
    );
  };
}

/** A staff page, loaded on first use. */
export function staffPage(name: keyof StaffPages): ComponentType {
  return page(preloadStaffPages, name);
}

/** A guardian page that most visits never need (the consent pages are in the main bundle). */
export function guardianPage(name: keyof GuardianPages): ComponentType {
  return page(loadGuardianPages, name);
}

/** Help and the accessibility statement: read now and then, by anyone. */
export function helpPage(name: keyof HelpPages): ComponentType {
  return page(loadHelpPages, name);
}
