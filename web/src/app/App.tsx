import { BrowserRouter, Route, Routes } from 'react-router';
import { LoginPage } from '../features/auth/LoginPage';
import { MagicLinkPage } from '../features/auth/MagicLinkPage';
import { ConsentHomePage } from '../features/consent/ConsentHomePage';
import { PersonConsentPage } from '../features/consent/PersonConsentPage';
import { HomePage } from '../features/home/HomePage';
import { SessionProvider } from '../lib/session';
import type { Role } from '../types/api';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from './ErrorPages';
import { RequireSession } from './guards';
import { guardianPage, helpPage, staffPage } from './lazy';

const admin: Role[] = ['admin'];
const leaders: Role[] = ['admin', 'leader'];
const unitStaff: Role[] = ['admin', 'leader', 'staff'];
const deciders: Role[] = ['guardian', 'pupil'];
const photographers: Role[] = ['leader', 'staff'];
const leaderOnly: Role[] = ['leader'];

const GroupPage = staffPage('GroupPage');
const GroupConsentPage = staffPage('GroupConsentPage');
const RoundsPage = staffPage('RoundsPage');
const UnitsPage = staffPage('UnitsPage');
const PeoplePage = staffPage('PeoplePage');
const NewPersonPage = staffPage('NewPersonPage');
const PersonPage = staffPage('PersonPage');
const ImportPage = staffPage('ImportPage');
const PurposesPage = staffPage('PurposesPage');
const PurposePage = staffPage('PurposePage');
const ChannelsPage = staffPage('ChannelsPage');
const SettingsPage = staffPage('SettingsPage');
const LibraryPage = staffPage('LibraryPage');
const UploadPage = staffPage('UploadPage');
const GuidelinesPage = staffPage('GuidelinesPage');
const PhotoPage = staffPage('PhotoPage');
const ReviewQueuePage = staffPage('ReviewQueuePage');
const TakedownsPage = staffPage('TakedownsPage');
const PublicationsLogPage = staffPage('PublicationsLogPage');
const PublicationPage = staffPage('PublicationPage');
const ChildPhotosPage = guardianPage('ChildPhotosPage');
const HelpPage = helpPage('HelpPage');
const AccessibilityPage = helpPage('AccessibilityPage');

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route element={<AppLayout />}>
            <Route path="/logg-inn" element={<LoginPage />} />
            <Route path="/logg-inn/lenke/:token" element={<MagicLinkPage />} />
            <Route path="/tilgjengelighet" element={<AccessibilityPage />} />
            <Route path="/hjelp" element={<HelpPage />} />
            <Route path="/" element={<RequireSession><HomePage /></RequireSession>} />
            <Route path="/samtykke" element={<RequireSession roles={deciders}><ConsentHomePage /></RequireSession>} />
            <Route path="/samtykke/:personId" element={<RequireSession roles={deciders}><PersonConsentPage /></RequireSession>} />
            <Route path="/samtykke/:personId/bilder" element={<RequireSession roles={deciders}><ChildPhotosPage /></RequireSession>} />
            <Route path="/bilder" element={<RequireSession roles={unitStaff}><LibraryPage /></RequireSession>} />
            <Route path="/bilder/last-opp" element={<RequireSession roles={photographers}><UploadPage /></RequireSession>} />
            <Route path="/bilder/:photoId" element={<RequireSession roles={unitStaff}><PhotoPage /></RequireSession>} />
            <Route path="/retningslinjer" element={<RequireSession roles={unitStaff}><GuidelinesPage /></RequireSession>} />
            <Route path="/godkjenning" element={<RequireSession roles={leaderOnly}><ReviewQueuePage /></RequireSession>} />
            <Route path="/nedtakinger" element={<RequireSession roles={unitStaff}><TakedownsPage /></RequireSession>} />
            <Route path="/publiseringer" element={<RequireSession roles={leaders}><PublicationsLogPage /></RequireSession>} />
            <Route path="/publiseringer/:publicationId" element={<RequireSession roles={unitStaff}><PublicationPage /></RequireSession>} />
            <Route path="/enheter/:unitId/grupper/:groupId" element={<RequireSession roles={unitStaff}><GroupPage /></RequireSession>} />
            <Route path="/enheter/:unitId/grupper/:groupId/samtykker" element={<RequireSession roles={unitStaff}><GroupConsentPage /></RequireSession>} />
            <Route path="/samtykkerunder" element={<RequireSession roles={leaders}><RoundsPage /></RequireSession>} />
            <Route path="/admin/enheter" element={<RequireSession roles={admin}><UnitsPage /></RequireSession>} />
            <Route path="/admin/personer" element={<RequireSession roles={admin}><PeoplePage /></RequireSession>} />
            <Route path="/admin/personer/ny" element={<RequireSession roles={admin}><NewPersonPage /></RequireSession>} />
            <Route path="/admin/personer/:id" element={<RequireSession roles={admin}><PersonPage /></RequireSession>} />
            <Route path="/admin/import" element={<RequireSession roles={admin}><ImportPage /></RequireSession>} />
            <Route path="/admin/formal" element={<RequireSession roles={admin}><PurposesPage /></RequireSession>} />
            <Route path="/admin/formal/:purposeId" element={<RequireSession roles={admin}><PurposePage /></RequireSession>} />
            <Route path="/admin/kanaler" element={<RequireSession roles={admin}><ChannelsPage /></RequireSession>} />
            <Route path="/admin/innstillinger" element={<RequireSession roles={admin}><SettingsPage /></RequireSession>} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
