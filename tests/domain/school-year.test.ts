import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addYears } from '../../server/domain/dates.js';
import { consentExpiryDate, schoolYearEndFor } from '../../server/domain/school-year.js';

const RUNS = Math.max(1, Number(process.env.CONSENT_PROPERTY_RUNS ?? 1000));
const END_OF_JULY = { month: 7, day: 31 };

describe('schoolYearEndFor: the last day of the school year a date belongs to', () => {
  it('a date in the autumn belongs to the school year ending next 31 July', () => {
    expect(schoolYearEndFor('2024-08-01', END_OF_JULY)).toBe('2025-07-31');
    expect(schoolYearEndFor('2024-12-31', END_OF_JULY)).toBe('2025-07-31');
  });

  it('a date in the spring belongs to the school year ending this 31 July', () => {
    expect(schoolYearEndFor('2025-01-01', END_OF_JULY)).toBe('2025-07-31');
    expect(schoolYearEndFor('2025-06-20', END_OF_JULY)).toBe('2025-07-31');
  });

  it('31 July is the last day of its own school year', () => {
    expect(schoolYearEndFor('2025-07-31', END_OF_JULY)).toBe('2025-07-31');
  });

  it('the end of the school year is a setting', () => {
    const endOfJune = { month: 6, day: 30 };
    expect(schoolYearEndFor('2025-06-30', endOfJune)).toBe('2025-06-30');
    expect(schoolYearEndFor('2025-07-01', endOfJune)).toBe('2026-06-30');
    const endOfYear = { month: 12, day: 31 };
    expect(schoolYearEndFor('2025-01-01', endOfYear)).toBe('2025-12-31');
    expect(schoolYearEndFor('2025-12-31', endOfYear)).toBe('2025-12-31');
  });

  it('is the first day on or after the date that has the end month and day', () => {
    const monthDay = fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) });
    const day = fc.integer({ min: 0, max: 365 * 80 }).map((n) => addDays('2000-01-01', n));
    fc.assert(
      fc.property(day, monthDay, (date, end) => {
        const last = schoolYearEndFor(date, end);
        expect(last >= date).toBe(true);
        expect(last.slice(5)).toBe(`${String(end.month).padStart(2, '0')}-${String(end.day).padStart(2, '0')}`);
        // The same month and day a year earlier is before the date: no earlier end fits.
        expect(addYears(last, -1) < date).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('consentExpiryDate: a decision lasts until the end of its school year, by Oslo time', () => {
  it('a yes given on 31 July at 23:59 Oslo time lasts that day only', () => {
    expect(consentExpiryDate(new Date('2025-07-31T21:59:59Z'), END_OF_JULY)).toBe('2025-07-31');
  });

  it('a yes given at 00:30 on 1 August Oslo time (still 31 July in UTC) lasts the whole new school year', () => {
    expect(consentExpiryDate(new Date('2025-07-31T22:30:00Z'), END_OF_JULY)).toBe('2026-07-31');
  });

  it('in winter the Oslo day starts at 23:00 UTC', () => {
    const endOfYear = { month: 12, day: 31 };
    expect(consentExpiryDate(new Date('2024-12-31T22:59:00Z'), endOfYear)).toBe('2024-12-31');
    expect(consentExpiryDate(new Date('2024-12-31T23:30:00Z'), endOfYear)).toBe('2025-12-31');
  });
});
