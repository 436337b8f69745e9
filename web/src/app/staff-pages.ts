// Pages for staff, leaders and admins, in their own chunk: guardians and pupils (most users,
// often on a phone) never download them.
export { ChannelsPage } from '../features/consent/ChannelsPage';
export { GroupConsentPage } from '../features/consent/GroupConsentPage';
export { PurposePage } from '../features/consent/PurposePage';
export { PurposesPage } from '../features/consent/PurposesPage';
export { RoundsPage } from '../features/consent/RoundsPage';
export { SettingsPage } from '../features/consent/SettingsPage';
export { GroupPage } from '../features/roster/GroupPage';
export { ImportPage } from '../features/roster/ImportPage';
export { NewPersonPage } from '../features/roster/NewPersonPage';
export { PeoplePage } from '../features/roster/PeoplePage';
export { PersonPage } from '../features/roster/PersonPage';
export { UnitsPage } from '../features/roster/UnitsPage';
export { GuidelinesPage } from '../features/photos/GuidelinesPage';
export { LibraryPage } from '../features/photos/LibraryPage';
export { UploadPage } from '../features/photos/UploadPage';
export { PhotoPage } from '../features/publishing/PhotoPage';
export { PublicationPage } from '../features/publishing/PublicationPage';
export { PublicationsLogPage } from '../features/publishing/PublicationsLogPage';
export { ReviewQueuePage } from '../features/publishing/ReviewQueuePage';
export { TakedownsPage } from '../features/publishing/TakedownsPage';
