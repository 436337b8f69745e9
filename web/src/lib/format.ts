import type { Language } from '../i18n';

const isoDate = /^(\d{4})-(\d{2})-(\d{2})/;

/** An ISO date (YYYY-MM-DD…) as people read it: dd.mm.yyyy in Norwegian, 17 May 2019 in English. */
export function formatDate(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const match = isoDate.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  if (language === 'en') {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
  }
  return `${day}.${month}.${year}`;
}

const locales: Record<Language, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

/** A date written out, for running text: "31. juli 2027", "31 July 2027". */
export function formatLongDate(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const match = isoDate.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return new Intl.DateTimeFormat(locales[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** An instant (ISO timestamp) as a date and time in Norway: "24.11.2026 kl. 10:12", "24 November 2026, 10:12". */
export function formatDateTime(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Oslo' }).format(instant);
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Europe/Oslo' }).format(instant);
  return language === 'en' ? `${formatDate(parts, 'en')}, ${time}` : `${formatDate(parts, language)} kl. ${time}`;
}

/**
 * A date typed by a person (17.05.2019, 17/5/2019 or 2019-05-17) as YYYY-MM-DD,
 * or null when it is not a real calendar date.
 */
export function parseDate(input: string): string | null {
  const text = input.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const local = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (local) {
    [day, month, year] = [Number(local[1]), Number(local[2]), Number(local[3])];
  } else {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function todayIso(now: Date = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

export function fullName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`.trim();
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmail(value: string): boolean {
  return emailPattern.test(value.trim());
}

const wallTime = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/;

/**
 * When a photo was taken. With an offset it is an instant, shown in Norway's time; without one
 * it is the camera's own clock, shown as it reads (it was set where the photo was taken).
 */
export function formatCaptureTime(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const match = wallTime.exec(value);
  if (!match) return formatDateTime(value, language);
  const [, date, hour, minute] = match;
  return language === 'en' ? `${formatDate(date, 'en')}, ${hour}:${minute}` : `${formatDate(date, language)} kl. ${hour}:${minute}`;
}

/** A file size as people read it: "840 kB", "2,4 MB" (decimal units, as phones and computers show them). */
export function formatBytes(bytes: number, language: Language): string {
  const number = (value: number, digits: number) => new Intl.NumberFormat(locales[language], { maximumFractionDigits: digits }).format(value);
  if (bytes < 1000) return `${number(bytes, 0)} B`;
  if (bytes < 1_000_000) return `${number(bytes / 1000, 0)} kB`;
  return `${number(bytes / 1_000_000, 1)} MB`;
}
