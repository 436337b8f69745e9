import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addYears, ageOn, coversDate, osloDate, parseCalendarDate } from '../../server/domain/dates.js';

const RUNS = Math.max(1, Number(process.env.CONSENT_PROPERTY_RUNS ?? 1000));

/** Every calendar day from 1900 to 2100 as YYYY-MM-DD. */
const isoDay = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instant = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-12-31T23:59:59Z'), noInvalidDate: true });
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('osloDate: the calendar day in Norway', () => {
  it('in winter (UTC+1), a new day begins at 23:00 UTC', () => {
    expect(osloDate(new Date('2024-01-15T22:59:59.999Z'))).toBe('2024-01-15');
    expect(osloDate(new Date('2024-01-15T23:00:00.000Z'))).toBe('2024-01-16');
    expect(osloDate(new Date('2024-12-31T23:00:00.000Z'))).toBe('2025-01-01');
  });

  it('in summer (UTC+2), a new day begins at 22:00 UTC, so 31 July ends at 22:00 UTC', () => {
    expect(osloDate(new Date('2024-07-31T21:59:59.999Z'))).toBe('2024-07-31');
    expect(osloDate(new Date('2024-07-31T22:00:00.000Z'))).toBe('2024-08-01');
  });

  it('follows the switches to and from summer time', () => {
    // Summer time starts 31 March 2024 at 01:00 UTC and ends 27 October 2024 at 01:00 UTC.
    expect(osloDate(new Date('2024-03-30T22:59:59Z'))).toBe('2024-03-30');
    expect(osloDate(new Date('2024-03-30T23:00:00Z'))).toBe('2024-03-31');
    expect(osloDate(new Date('2024-03-31T21:59:59Z'))).toBe('2024-03-31');
    expect(osloDate(new Date('2024-03-31T22:00:00Z'))).toBe('2024-04-01');
    expect(osloDate(new Date('2024-10-26T21:59:59Z'))).toBe('2024-10-26');
    expect(osloDate(new Date('2024-10-26T22:00:00Z'))).toBe('2024-10-27');
    expect(osloDate(new Date('2024-10-27T22:59:59Z'))).toBe('2024-10-27');
    expect(osloDate(new Date('2024-10-27T23:00:00Z'))).toBe('2024-10-28');
  });

  it('is what Intl says for Europe/Oslo, at any instant (kept per UTC hour)', () => {
    const oslo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });
    const anyInstant = fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
    // The same hour asked again at other minutes, and the last and first millisecond around local midnight.
    fc.assert(
      fc.property(anyInstant, fc.integer({ min: 0, max: 3_599_999 }), (at, ms) => {
        const sameHour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000 + ms);
        expect(osloDate(at)).toBe(oslo.format(at));
        expect(osloDate(sameHour)).toBe(oslo.format(sameHour));
      }),
      { numRuns: RUNS },
    );
    for (const iso of ['1894-06-01T23:20:00Z', '1894-06-01T23:10:00Z', '1980-04-05T23:00:00Z', '2024-03-30T22:59:59.999Z', '2024-10-27T00:59:59.999Z', '2024-10-27T01:00:00Z']) {
      expect(osloDate(new Date(iso)), iso).toBe(oslo.format(new Date(iso)));
    }
  });

  it('is always the UTC day one or two hours later', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const day = osloDate(at);
        expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect([utcDay(at.getTime() + 3_600_000), utcDay(at.getTime() + 7_200_000)]).toContain(day);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('ageOn: whole years from a birth date', () => {
  it('a person is a year older on their birthday, not the day before', () => {
    expect(ageOn('2009-11-20', '2024-11-19')).toBe(14);
    expect(ageOn('2009-11-20', '2024-11-20')).toBe(15);
    expect(ageOn('2009-11-20', '2024-12-31')).toBe(15);
    expect(ageOn('2009-11-20', '2025-01-01')).toBe(15);
  });

  it('someone born on 29 February turns a year older on 1 March in a common year and on 29 February in a leap year', () => {
    expect(ageOn('2008-02-29', '2023-02-28')).toBe(14);
    expect(ageOn('2008-02-29', '2023-03-01')).toBe(15);
    expect(ageOn('2008-02-29', '2024-02-28')).toBe(15);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
  });

  it('is zero on the birth date and negative before it', () => {
    expect(ageOn('2020-06-01', '2020-06-01')).toBe(0);
    expect(ageOn('2020-06-01', '2020-05-31')).toBe(-1);
  });

  it('is exactly n on the date n years later (as addYears counts it) and n − 1 the day before', () => {
    fc.assert(
      fc.property(isoDay, fc.integer({ min: 1, max: 100 }), (birth, n) => {
        const birthday = addYears(birth, n);
        expect(ageOn(birth, birthday)).toBe(n);
        expect(ageOn(birth, addDays(birthday, -1))).toBe(n - 1);
      }),
      { numRuns: RUNS },
    );
  });

  it('never goes down as time goes on', () => {
    fc.assert(
      fc.property(isoDay, isoDay, fc.integer({ min: 0, max: 800 }), (birth, on, later) => {
        expect(ageOn(birth, addDays(on, later))).toBeGreaterThanOrEqual(ageOn(birth, on));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('parseCalendarDate', () => {
  it('accepts ISO and Norwegian dates', () => {
    expect(parseCalendarDate('2019-04-03')).toBe('2019-04-03');
    expect(parseCalendarDate('3.4.2019')).toBe('2019-04-03');
    expect(parseCalendarDate('03.04.2019')).toBe('2019-04-03');
    expect(parseCalendarDate(' 29.02.2024 ')).toBe('2024-02-29');
  });

  it('refuses dates that do not exist and other forms', () => {
    for (const s of ['2023-02-29', '29.02.2023', '31.04.2024', '2024-13-01', '00.01.2020', '2019/04/03', '2019-4-3', '3.4.19', '', 'i går']) {
      expect(parseCalendarDate(s), s).toBeNull();
    }
  });
});

describe('coversDate', () => {
  it('counts both ends of a membership, and an open end runs forever', () => {
    expect(coversDate('2024-08-15', '2025-06-20', '2024-08-15')).toBe(true);
    expect(coversDate('2024-08-15', '2025-06-20', '2025-06-20')).toBe(true);
    expect(coversDate('2024-08-15', '2025-06-20', '2024-08-14')).toBe(false);
    expect(coversDate('2024-08-15', '2025-06-20', '2025-06-21')).toBe(false);
    expect(coversDate('2024-08-15', null, '2099-01-01')).toBe(true);
  });
});

describe('addYears and addDays', () => {
  it('addYears keeps the calendar day, and 29 February becomes 1 March in a common year', () => {
    expect(addYears('2023-01-31', 1)).toBe('2024-01-31');
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2024-02-29', -1)).toBe('2023-03-01');
    expect(addYears('2009-11-20', 15)).toBe('2024-11-20');
  });

  it('addDays crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-07-31', 0)).toBe('2024-07-31');
  });

  it('addDays there and back is the same day, and a later day sorts later as text', () => {
    fc.assert(
      fc.property(isoDay, fc.integer({ min: -5000, max: 5000 }), (day, n) => {
        const moved = addDays(day, n);
        expect(addDays(moved, -n)).toBe(day);
        expect(Math.sign(moved.localeCompare(day))).toBe(Math.sign(n));
        expect(parseCalendarDate(moved)).toBe(moved);
      }),
      { numRuns: RUNS },
    );
  });
});
