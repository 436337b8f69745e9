// Help and the accessibility statement, in their own chunk: read now and then, by anyone.
export { AccessibilityPage } from '../features/help/AccessibilityPage';
export { HelpPage } from '../features/help/HelpPage';
