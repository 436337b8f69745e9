import { osloDate, type IsoDate } from './dates.js';

export interface MonthDay {
  month: number;
  day: number;
}

/** The last day of the school year that the given date belongs to (the date itself if it is that day). */
export function schoolYearEndFor(date: IsoDate, end: MonthDay): IsoDate {
  const year = Number(date.slice(0, 4));
  const endThisYear = `${year}-${String(end.month).padStart(2, '0')}-${String(end.day).padStart(2, '0')}`;
  return date <= endThisYear ? endThisYear : `${year + 1}-${endThisYear.slice(5)}`;
}

/** The last day a decision taken at this instant is valid, by the school-year rule alone. */
export function consentExpiryDate(decidedAt: Date, end: MonthDay): IsoDate {
  return schoolYearEndFor(osloDate(decidedAt), end);
}
