// The accessibility statement's facts: every WCAG 2.1 success criterion at level A and AA, its
// status in Samtykke, and which automatic checks of the browser suite cover it. The statement
// page renders this list, and tests/e2e/tour.e2e.test.ts keeps it true: the criteria marked
// 'axe' are exactly those axe-core evaluated (and found no violation of) on the tour of every
// page, and the other automatic checks are the ones the tour and the keyboard suites run.
import type { Language } from '../../i18n';

export type CriterionStatus = 'met' | 'notApplicable' | 'notMet';

/**
 * What tests a criterion on every change:
 * - axe: axe-core's WCAG 2.1 A/AA rules on every page, role, language and width;
 * - page: one h1, a title naming the page, <html lang> set (tests/e2e/browser.ts, expectSoundPage);
 * - reflow: no sideways scrolling at 320 CSS pixels (the tour);
 * - focus: every focusable element shows a visible focus indicator (the tour);
 * - keyboard: the main flows with Tab, Enter, Space and typing only (the keyboard suites).
 */
export type AutomaticCheck = 'axe' | 'page' | 'reflow' | 'focus' | 'keyboard';

export interface Criterion {
  id: string;
  level: 'A' | 'AA';
  name: Record<Language, string>;
  status: CriterionStatus;
  checks: AutomaticCheck[];
  /** For a criterion not met: the key (under accessibility.notes) of what a person meets. */
  note?: 'timing';
}

/** When the statement was last gone through by hand (ISO date). */
export const statementReviewed = '2026-11-23';

const c = (
  id: string,
  level: 'A' | 'AA',
  nb: string,
  nn: string,
  en: string,
  status: CriterionStatus,
  checks: AutomaticCheck[] = [],
  note?: Criterion['note'],
): Criterion => ({ id, level, name: { nb, nn, en }, status, checks, ...(note ? { note } : {}) });

export const criteria: readonly Criterion[] = [
  c('1.1.1', 'A', 'Ikke-tekstlig innhold', 'Ikkje-tekstleg innhald', 'Non-text content', 'met', ['axe']),
  c('1.2.1', 'A', 'Bare lyd og bare video (forhåndsinnspilt)', 'Berre lyd og berre video (førehandsinnspelt)', 'Audio-only and video-only (prerecorded)', 'notApplicable'),
  c('1.2.2', 'A', 'Teksting (forhåndsinnspilt)', 'Teksting (førehandsinnspelt)', 'Captions (prerecorded)', 'notApplicable'),
  c('1.2.3', 'A', 'Synstolking eller mediealternativ (forhåndsinnspilt)', 'Synstolking eller mediealternativ (førehandsinnspelt)', 'Audio description or media alternative (prerecorded)', 'notApplicable'),
  c('1.2.4', 'AA', 'Teksting (direkte)', 'Teksting (direkte)', 'Captions (live)', 'notApplicable'),
  c('1.2.5', 'AA', 'Synstolking (forhåndsinnspilt)', 'Synstolking (førehandsinnspelt)', 'Audio description (prerecorded)', 'notApplicable'),
  c('1.3.1', 'A', 'Informasjon og relasjoner', 'Informasjon og relasjonar', 'Info and relationships', 'met', ['axe', 'page']),
  c('1.3.2', 'A', 'Meningsbærende rekkefølge', 'Meiningsberande rekkjefølgje', 'Meaningful sequence', 'met'),
  c('1.3.3', 'A', 'Sensoriske egenskaper', 'Sensoriske eigenskapar', 'Sensory characteristics', 'met'),
  c('1.3.4', 'AA', 'Visningsretning', 'Visningsretning', 'Orientation', 'met'),
  c('1.3.5', 'AA', 'Identifiser formål med inndata', 'Identifiser føremål med inndata', 'Identify input purpose', 'met', ['axe']),
  c('1.4.1', 'A', 'Bruk av farge', 'Bruk av farge', 'Use of color', 'met', ['axe']),
  c('1.4.2', 'A', 'Styring av lyd', 'Styring av lyd', 'Audio control', 'notApplicable'),
  c('1.4.3', 'AA', 'Kontrast (minimum)', 'Kontrast (minimum)', 'Contrast (minimum)', 'met', ['axe']),
  c('1.4.4', 'AA', 'Endring av tekststørrelse', 'Endring av tekststorleik', 'Resize text', 'met', ['axe']),
  c('1.4.5', 'AA', 'Bilder av tekst', 'Bilete av tekst', 'Images of text', 'met'),
  c('1.4.10', 'AA', 'Dynamisk tilpasning (reflow)', 'Dynamisk tilpassing (reflow)', 'Reflow', 'met', ['reflow']),
  c('1.4.11', 'AA', 'Kontrast for ikke-tekstlig innhold', 'Kontrast for ikkje-tekstleg innhald', 'Non-text contrast', 'met'),
  c('1.4.12', 'AA', 'Tekstavstand', 'Tekstavstand', 'Text spacing', 'met', ['axe']),
  c('1.4.13', 'AA', 'Pekerfølsomt innhold eller innhold ved tastaturfokus', 'Peikarsensitivt innhald eller innhald ved tastaturfokus', 'Content on hover or focus', 'met'),
  c('2.1.1', 'A', 'Tastatur', 'Tastatur', 'Keyboard', 'met', ['axe', 'keyboard']),
  c('2.1.2', 'A', 'Ingen tastaturfelle', 'Inga tastaturfelle', 'No keyboard trap', 'met', ['keyboard']),
  c('2.1.4', 'A', 'Hurtigtaster med ett tegn', 'Snarvegar med eitt teikn', 'Character key shortcuts', 'notApplicable'),
  // Sessions end after SESSION_TTL_HOURS (12) without warning or a way to extend them; WCAG's exception starts at 20 hours.
  c('2.2.1', 'A', 'Justerbar hastighet', 'Justerbar hastigheit', 'Timing adjustable', 'notMet', [], 'timing'),
  c('2.2.2', 'A', 'Pause, stopp, skjul', 'Pause, stopp, gøym', 'Pause, stop, hide', 'met'),
  c('2.3.1', 'A', 'Terskelverdi på maksimalt tre glimt', 'Terskelverdi på maksimalt tre glimt', 'Three flashes or below threshold', 'met'),
  c('2.4.1', 'A', 'Hoppe over blokker', 'Hoppe over blokker', 'Bypass blocks', 'met', ['axe']),
  c('2.4.2', 'A', 'Sidetitler', 'Sidetitlar', 'Page titled', 'met', ['axe', 'page']),
  c('2.4.3', 'A', 'Fokusrekkefølge', 'Fokusrekkjefølgje', 'Focus order', 'met', ['keyboard']),
  c('2.4.4', 'A', 'Formål med lenke (i kontekst)', 'Føremål med lenkje (i kontekst)', 'Link purpose (in context)', 'met', ['axe']),
  c('2.4.5', 'AA', 'Flere måter', 'Fleire måtar', 'Multiple ways', 'met'),
  c('2.4.6', 'AA', 'Overskrifter og ledetekster', 'Overskrifter og leietekstar', 'Headings and labels', 'met'),
  c('2.4.7', 'AA', 'Synlig fokus', 'Synleg fokus', 'Focus visible', 'met', ['focus']),
  c('2.5.1', 'A', 'Pekerbevegelser', 'Peikarrørsler', 'Pointer gestures', 'met'),
  c('2.5.2', 'A', 'Pekeravbrytelse', 'Peikaravbryting', 'Pointer cancellation', 'met'),
  c('2.5.3', 'A', 'Ledetekst i navn', 'Leietekst i namn', 'Label in name', 'met', ['axe']),
  c('2.5.4', 'A', 'Bevegelsesaktivering', 'Rørsleaktivering', 'Motion actuation', 'notApplicable'),
  c('3.1.1', 'A', 'Språk på siden', 'Språk på sida', 'Language of page', 'met', ['axe', 'page']),
  c('3.1.2', 'AA', 'Språk på deler av innhold', 'Språk på delar av innhald', 'Language of parts', 'met', ['axe']),
  c('3.2.1', 'A', 'Fokus', 'Fokus', 'On focus', 'met', ['keyboard']),
  c('3.2.2', 'A', 'Inndata', 'Inndata', 'On input', 'met'),
  c('3.2.3', 'AA', 'Konsekvent navigering', 'Konsekvent navigering', 'Consistent navigation', 'met'),
  c('3.2.4', 'AA', 'Konsekvent identifikasjon', 'Konsekvent identifikasjon', 'Consistent identification', 'met'),
  c('3.3.1', 'A', 'Identifikasjon av feil', 'Identifikasjon av feil', 'Error identification', 'met'),
  c('3.3.2', 'A', 'Ledetekster eller instruksjoner', 'Leietekstar eller instruksjonar', 'Labels or instructions', 'met', ['axe']),
  c('3.3.3', 'AA', 'Forslag ved feil', 'Forslag ved feil', 'Error suggestion', 'met'),
  c('3.3.4', 'AA', 'Forhindring av feil (juridiske feil, økonomiske feil, datafeil)', 'Førebygging av feil (juridiske feil, økonomiske feil, datafeil)', 'Error prevention (legal, financial, data)', 'met'),
  c('4.1.1', 'A', 'Parsing (oppdeling)', 'Parsing (oppdeling)', 'Parsing', 'met'),
  c('4.1.2', 'A', 'Navn, rolle, verdi', 'Namn, rolle, verdi', 'Name, role, value', 'met', ['axe']),
  c('4.1.3', 'AA', 'Statusbeskjeder', 'Statusmeldingar', 'Status messages', 'met'),
];
