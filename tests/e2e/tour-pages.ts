// Every page of the web app, who uses it, and what it must show: the plan of the tour in
// tour.e2e.test.ts. A route in web/src/app/App.tsx without a stop here, or a role that may open
// a page but is not taken there, fails the tour.
import { LANGUAGES, MESSAGES, text } from './messages';
import type { Language } from './messages';

export { LANGUAGES, MESSAGES, text };
export type { Language };

export const ROLES = ['anonymous', 'guardian', 'pupil', 'staff', 'leader', 'admin'] as const;
export type TourRole = (typeof ROLES)[number];
export type SignedInRole = Exclude<TourRole, 'anonymous'>;

export const ACCOUNTS: Record<SignedInRole, string> = {
  guardian: 'forelder@demo.no',
  pupil: 'elev@demo.no',
  staff: 'ansatt@demo.no',
  leader: 'leder@demo.no',
  admin: 'admin@demo.no',
};

/** The ids a tour needs, set up through the API before it starts. */
export interface World {
  unitId: string;
  groupId: string;
  /** The demo guardian's child, tagged in a published photo. */
  childId: string;
  childFirstName: string;
  /** The demo pupil's own person. */
  pupilId: string;
  photoId: string;
  publicationId: string;
  purposeId: string;
  /** The organisation's takedown deadline, which the rights panel states. */
  takedownDueHours: number;
}

export interface Stop {
  /** The route pattern exactly as App.tsx declares it. */
  route: string;
  /** A short name for labels and screenshot files. */
  name: string;
  path: (world: World) => string;
  roles: readonly TourRole[];
  /** The key of the page's h1, when it is a fixed text; else the heading is checked to be there. */
  heading?: string | ((world: World) => [key: string, values: Record<string, string>]);
  /** A text (by key) the page shows once its data is in, so the checks see the page, not a spinner. */
  shows?: string | ((world: World) => [key: string, values: Record<string, string>]);
  /** Pictured in README.md: screenshots at phone and desktop width. */
  screenshot?: boolean;
  /** A page for guardians and pupils, which must carry the rights panel (issue #7, part 5). */
  rights?: boolean;
}

const unitStaff = ['staff', 'leader', 'admin'] as const;
const signedIn = ['guardian', 'pupil', 'staff', 'leader', 'admin'] as const;
const group = (w: World) => `/enheter/${w.unitId}/grupper/${w.groupId}`;

export const STOPS: readonly Stop[] = [
  { route: '/logg-inn', name: 'sign-in', path: () => '/logg-inn', roles: ['anonymous'], heading: 'auth.login.title', screenshot: true },
  { route: '/logg-inn/lenke/:token', name: 'sign-in-link', path: () => `/logg-inn/lenke/${'x'.repeat(43)}`, roles: ['anonymous'], heading: 'auth.magic.expiredTitle' },
  { route: '/tilgjengelighet', name: 'accessibility', path: () => '/tilgjengelighet', roles: ['anonymous', 'guardian', 'admin'], heading: 'accessibility.title' },
  { route: '*', name: 'not-found', path: () => '/finnes-ikke', roles: ['anonymous', 'guardian'], heading: 'notFound.title' },
  { route: '/hjelp', name: 'help', path: () => '/hjelp', roles: ['anonymous', ...signedIn], heading: 'help.title', shows: 'help.removeHeading', screenshot: true },
  { route: '/', name: 'home', path: () => '/', roles: signedIn, screenshot: true, rights: true },
  { route: '/samtykke', name: 'consents', path: () => '/samtykke', roles: ['guardian', 'pupil'], shows: 'rights.heading', rights: true },
  {
    route: '/samtykke/:personId',
    name: 'person-consents',
    path: (w) => `/samtykke/${w.childId}`,
    roles: ['guardian'],
    shows: 'rights.heading',
    screenshot: true,
    rights: true,
  },
  { route: '/samtykke/:personId', name: 'own-consents', path: (w) => `/samtykke/${w.pupilId}`, roles: ['pupil'], heading: 'consent.person.ownTitle', shows: 'rights.heading', rights: true },
  {
    route: '/samtykke/:personId/bilder',
    name: 'child-photos',
    path: (w) => `/samtykke/${w.childId}/bilder`,
    roles: ['guardian'],
    heading: (w) => ['publishing.child.title', { name: w.childFirstName }],
    shows: 'publishing.child.ask',
    screenshot: true,
    rights: true,
  },
  { route: '/samtykke/:personId/bilder', name: 'own-photos', path: (w) => `/samtykke/${w.pupilId}/bilder`, roles: ['pupil'], heading: 'publishing.child.ownTitle', shows: 'rights.heading', rights: true },
  { route: '/bilder', name: 'library', path: () => '/bilder', roles: unitStaff, heading: 'photos.library.title', screenshot: true },
  { route: '/bilder/last-opp', name: 'upload', path: () => '/bilder/last-opp', roles: ['staff', 'leader'], heading: 'photos.upload.title', screenshot: true },
  { route: '/bilder/:photoId', name: 'photo', path: (w) => `/bilder/${w.photoId}`, roles: unitStaff, screenshot: true },
  { route: '/retningslinjer', name: 'guidelines', path: () => '/retningslinjer', roles: unitStaff },
  { route: '/godkjenning', name: 'review', path: () => '/godkjenning', roles: ['leader'], heading: 'publishing.review.title', screenshot: true },
  { route: '/nedtakinger', name: 'takedowns', path: () => '/nedtakinger', roles: unitStaff, heading: 'publishing.takedowns.title', shows: 'publishing.takedowns.markDone', screenshot: true },
  { route: '/publiseringer', name: 'publications', path: () => '/publiseringer', roles: ['leader', 'admin'], heading: 'publishing.log.title' },
  { route: '/publiseringer/:publicationId', name: 'publication', path: (w) => `/publiseringer/${w.publicationId}`, roles: unitStaff },
  { route: '/enheter/:unitId/grupper/:groupId', name: 'group', path: group, roles: unitStaff },
  {
    route: '/enheter/:unitId/grupper/:groupId/samtykker',
    name: 'group-consents',
    path: (w) => `${group(w)}/samtykker`,
    roles: unitStaff,
    shows: 'consent.overview.record',
    screenshot: true,
  },
  { route: '/samtykkerunder', name: 'rounds', path: () => '/samtykkerunder', roles: ['leader', 'admin'], heading: 'consent.rounds.title' },
  { route: '/admin/enheter', name: 'units', path: () => '/admin/enheter', roles: ['admin'], heading: 'roster.units.title' },
  { route: '/admin/personer', name: 'people', path: () => '/admin/personer', roles: ['admin'], heading: 'roster.people.title' },
  { route: '/admin/personer/ny', name: 'new-person', path: () => '/admin/personer/ny', roles: ['admin'], heading: 'roster.newPerson.title' },
  { route: '/admin/personer/:id', name: 'person', path: (w) => `/admin/personer/${w.childId}`, roles: ['admin'] },
  { route: '/admin/import', name: 'import', path: () => '/admin/import', roles: ['admin'], heading: 'roster.import.title' },
  { route: '/admin/formal', name: 'purposes', path: () => '/admin/formal', roles: ['admin'], heading: 'consent.purposes.title' },
  { route: '/admin/formal/:purposeId', name: 'purpose', path: (w) => `/admin/formal/${w.purposeId}`, roles: ['admin'] },
  { route: '/admin/kanaler', name: 'channels', path: () => '/admin/kanaler', roles: ['admin'], heading: 'consent.channels.title' },
  { route: '/admin/innstillinger', name: 'settings', path: () => '/admin/innstillinger', roles: ['admin'], heading: 'consent.settings.title' },
];
