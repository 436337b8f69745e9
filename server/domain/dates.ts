/** Calendar dates are YYYY-MM-DD strings in Norwegian local time. */
export type IsoDate = string;

const osloDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

// Formatting through Intl is slow next to the rules that ask for it (every decision of every
// tagged person on every gate check). Norway's offset from UTC has been a whole number of hours
// since 1895, so its date changes only on the hour in UTC: every instant of one UTC hour has the
// same date, and the dates are kept per hour. Four school years of decisions are some 35,000 hours.
const osloDates = new Map<number, IsoDate>();
const OSLO_DATES_KEPT = 100_000;
const HOUR = 3_600_000;
const WHOLE_HOURS_FROM = Date.UTC(1895, 0, 1);

/** The calendar date in Norway at the given instant. */
export function osloDate(at: Date): IsoDate {
  const ms = at.getTime();
  if (!(ms >= WHOLE_HOURS_FROM)) return osloDateFormat.format(at);
  const hour = Math.floor(ms / HOUR);
  let date = osloDates.get(hour);
  if (date === undefined) {
    date = osloDateFormat.format(hour * HOUR);
    if (osloDates.size >= OSLO_DATES_KEPT) osloDates.clear();
    osloDates.set(hour, date);
  }
  return date;
}

/** Whole years from a birth date to a calendar date; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NORWEGIAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/** Accepts 2019-04-03 or the Norwegian 3.4.2019 / 03.04.2019; null when it is not a real date. */
export function parseCalendarDate(input: string): IsoDate | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  const iso = ISO_DATE.exec(s);
  const no = NORWEGIAN_DATE.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (no) [d, m, y] = [Number(no[1]), Number(no[2]), Number(no[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whether a membership or link running from `from` to `to` (inclusive, null = open) covers the date. */
export function coversDate(from: IsoDate, to: IsoDate | null, on: IsoDate): boolean {
  return from <= on && (to === null || on <= to);
}

/** The same calendar day a number of years later; 29 February becomes 1 March in a common year. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y + years, m - 1, d));
  return t.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
