import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCalendarDate } from '../../server/domain/dates.js';
import { crossRowErrors, missingColumns, parseRosterRecord, ROSTER_COLUMNS, type RosterRow } from '../../server/domain/roster-csv.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Every calendar day from year 1000 to 9999 (years 0–99 are another story in Date.UTC). */
const realDate = fc
  .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => ({ y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() }));

/** A day number past the end of its month: 2023-02-29, 2024-04-31, 2025-01-32 … */
const impossibleDate = fc
  .record({ y: fc.integer({ min: 1000, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), extra: fc.integer({ min: 1, max: 3 }) })
  .map(({ y, m, extra }) => ({ y, m, d: daysIn(y, m) + extra }))
  .filter(({ d }) => d <= 99);

const validRecord = (over: Record<string, string> = {}): Record<string, string> => ({
  unit: 'Solsikken barnehage',
  group: 'Blåklokka',
  child_id: 'K-1',
  child_first_name: 'Åse',
  child_last_name: 'Østby',
  child_birth_date: '2021-04-03',
  start_date: '2024-08-15',
  guardian_first_name: 'Kari',
  guardian_last_name: 'Østby',
  guardian_email: 'Kari.Ostby@Example.no',
  guardian_phone: '+47 900 00 000',
  guardian_role: 'parent',
  parental_responsibility: 'yes',
  ...over,
});

function parsedRow(over: Record<string, string> = {}, line = 2): RosterRow {
  const result = parseRosterRecord(validRecord(over), line);
  if (!('row' in result)) throw new Error(`expected a row: ${JSON.stringify(result.errors)}`);
  return result.row;
}

describe('parseCalendarDate', () => {
  it('accepts every real date written as YYYY-MM-DD, D.M.YYYY or DD.MM.YYYY, and gives it back as YYYY-MM-DD', () => {
    fc.assert(
      fc.property(realDate, ({ y, m, d }) => {
        const iso = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        expect(parseCalendarDate(iso)).toBe(iso);
        expect(parseCalendarDate(`${d}.${m}.${y}`)).toBe(iso);
        expect(parseCalendarDate(`${pad(d)}.${pad(m)}.${y}`)).toBe(iso);
        expect(parseCalendarDate(`  ${iso}\t`)).toBe(iso);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a day past the end of its month in either form', () => {
    fc.assert(
      fc.property(impossibleDate, ({ y, m, d }) => {
        expect(parseCalendarDate(`${pad(y, 4)}-${pad(m)}-${pad(d)}`)).toBeNull();
        expect(parseCalendarDate(`${d}.${m}.${y}`)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('knows which years have 29 February', () => {
    expect(parseCalendarDate('2023-02-29')).toBeNull();
    expect(parseCalendarDate('29.02.2023')).toBeNull();
    expect(parseCalendarDate('2024-02-29')).toBe('2024-02-29');
    expect(parseCalendarDate('29.2.2024')).toBe('2024-02-29');
    expect(parseCalendarDate('1900-02-29')).toBeNull();
    expect(parseCalendarDate('2000-02-29')).toBe('2000-02-29');
  });

  it('rejects month 0 and 13, day 0, and text that is not a date', () => {
    for (const s of ['2024-00-10', '2024-13-01', '2024-01-00', '0.1.2024', '1.13.2024', '', '2024', '3/4/2021', '2021-4-3', '03.04.21', 'i går', '2024-01-01T00:00']) {
      expect(parseCalendarDate(s), s).toBeNull();
    }
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const result = parseCalendarDate(s);
        if (result !== null) expect(result).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
    );
  });
});

describe('parseRosterRecord', () => {
  it('turns a complete record into a row with a lower-case e-mail and the role and responsibility it names', () => {
    expect(parsedRow({}, 7)).toEqual({
      row: 7,
      unit: 'Solsikken barnehage',
      group: 'Blåklokka',
      childId: 'K-1',
      childFirstName: 'Åse',
      childLastName: 'Østby',
      childBirthDate: '2021-04-03',
      startDate: '2024-08-15',
      guardianFirstName: 'Kari',
      guardianLastName: 'Østby',
      guardianEmail: 'kari.ostby@example.no',
      guardianPhone: '+47 900 00 000',
      guardianRole: 'parent',
      responsibility: true,
    });
  });

  it('understands the Norwegian role words and yes/no words', () => {
    const cases: [string, string][] = [
      ['forelder', 'parent'],
      ['Mor', 'parent'],
      ['far', 'parent'],
      ['Fosterforelder', 'foster_parent'],
      ['foster parent', 'foster_parent'],
      ['foster-parent', 'foster_parent'],
      ['barnevern', 'child_welfare'],
      ['Barneverntjenesten', 'child_welfare'],
      ['verge', 'appointed_guardian'],
      ['APPOINTED_GUARDIAN', 'appointed_guardian'],
    ];
    for (const [word, role] of cases) expect(parsedRow({ guardian_role: word }).guardianRole, word).toBe(role);
    for (const yes of ['ja', 'Ja', 'JA', 'j', 'x', 'yes', 'true', '1']) expect(parsedRow({ parental_responsibility: yes }).responsibility, yes).toBe(true);
    for (const no of ['nei', 'Nei', 'n', 'no', 'false', '0', '']) expect(parsedRow({ parental_responsibility: no }).responsibility, no).toBe(false);
  });

  it('names the column and a stable code for each problem, all at once', () => {
    const result = parseRosterRecord(
      validRecord({
        child_first_name: '  ',
        child_birth_date: '31.02.2020',
        guardian_email: 'kari-at-example.no',
        guardian_role: 'onkel',
        parental_responsibility: 'kanskje',
        group: 'x'.repeat(101),
      }),
      5,
    );
    expect('errors' in result && result.errors.map((e) => [e.row, e.column, e.code])).toEqual(
      expect.arrayContaining([
        [5, 'child_first_name', 'REQUIRED'],
        [5, 'group', 'TOO_LONG'],
        [5, 'child_birth_date', 'INVALID_DATE'],
        [5, 'guardian_email', 'INVALID_EMAIL'],
        [5, 'guardian_role', 'INVALID_ROLE'],
        [5, 'parental_responsibility', 'INVALID_YES_NO'],
      ]),
    );
    expect('errors' in result && result.errors).toHaveLength(6);
  });

  it('refuses a start date before the child was born', () => {
    const result = parseRosterRecord(validRecord({ child_birth_date: '2021-04-03', start_date: '01.01.2021' }), 3);
    expect(result).toEqual({ errors: [expect.objectContaining({ row: 3, column: 'start_date', code: 'INVALID_DATE' })] });
  });

  it('treats child_id, start_date and guardian_phone as optional', () => {
    const row = parsedRow({ child_id: '', start_date: '', guardian_phone: '' });
    expect(row).toMatchObject({ childId: null, startDate: null, guardianPhone: null });
  });

  it('never throws on arbitrary text, and a row it accepts is always well-formed', () => {
    const anyRecord = fc.dictionary(
      fc.oneof(fc.constantFrom(...ROSTER_COLUMNS), fc.string({ maxLength: 10 })),
      fc.option(fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom('ja', 'nei', 'verge', 'forelder', '1.2.2020', 'a@b.no')), { nil: undefined }),
    );
    fc.assert(
      fc.property(anyRecord, fc.integer({ min: 2, max: 20_001 }), (record, line) => {
        const result = parseRosterRecord(record, line);
        if ('errors' in result) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(e).toMatchObject({ row: line, column: expect.any(String), code: expect.stringMatching(/^[A-Z_]+$/) });
          return;
        }
        const r = result.row;
        expect(r.row).toBe(line);
        expect(parseCalendarDate(r.childBirthDate)).toBe(r.childBirthDate);
        expect(['parent', 'foster_parent', 'child_welfare', 'appointed_guardian']).toContain(r.guardianRole);
        expect(r.guardianEmail).toBe(r.guardianEmail.toLowerCase());
        for (const v of [r.unit, r.group, r.childFirstName, r.childLastName, r.guardianFirstName, r.guardianLastName]) {
          expect(v.length).toBeGreaterThan(0);
          expect(v.length).toBeLessThanOrEqual(100);
          expect(v).toBe(v.trim());
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every record built from valid values, whatever their spelling of dates', () => {
    fc.assert(
      fc.property(realDate, fc.boolean(), ({ y, m, d }, norwegian) => {
        const date = norwegian ? `${d}.${m}.${y}` : `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        const result = parseRosterRecord(validRecord({ child_birth_date: date, start_date: '' }), 2);
        expect('row' in result && result.row.childBirthDate).toBe(`${pad(y, 4)}-${pad(m)}-${pad(d)}`);
      }),
    );
  });
});

describe('missingColumns', () => {
  it('finds required columns whatever their case and surrounding spaces, and lists those missing', () => {
    expect(missingColumns(ROSTER_COLUMNS.map((c) => ` ${c.toUpperCase()} `))).toEqual([]);
    expect(missingColumns(ROSTER_COLUMNS.filter((c) => !['child_id', 'start_date', 'guardian_phone'].includes(c)))).toEqual([]);
    expect(missingColumns(ROSTER_COLUMNS.filter((c) => c !== 'guardian_email' && c !== 'unit'))).toEqual(['unit', 'guardian_email']);
  });
});

describe('crossRowErrors', () => {
  it('finds no conflict when rows repeat a child for each of their guardians', () => {
    const rows = [parsedRow({}, 2), parsedRow({ guardian_first_name: 'Per', guardian_email: 'per@example.no' }, 3)];
    expect(crossRowErrors(rows)).toEqual([]);
  });

  it('reports a child_id described with another name, birth date or group on a later line', () => {
    const changes: Record<string, string>[] = [{ child_last_name: 'Berg' }, { child_birth_date: '2021-04-04' }, { group: 'Prestekragen' }, { unit: 'Fjellet skole' }];
    for (const over of changes) {
      const rows = [parsedRow({}, 2), parsedRow({ ...over, guardian_email: 'per@example.no', guardian_first_name: 'Per' }, 3)];
      expect(crossRowErrors(rows), JSON.stringify(over)).toEqual([expect.objectContaining({ row: 3, column: 'child_id', code: 'CONFLICTING_ROWS' })]);
    }
  });

  it('reports an e-mail address given to two different names', () => {
    const rows = [parsedRow({}, 2), parsedRow({ child_id: 'K-2', child_first_name: 'Ola', guardian_first_name: 'Karianne' }, 4)];
    expect(crossRowErrors(rows)).toEqual([expect.objectContaining({ row: 4, column: 'guardian_email', code: 'CONFLICTING_ROWS' })]);
  });

  it('never reports a conflict for a file of identical rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (n) => {
        expect(crossRowErrors(Array.from({ length: n }, (_, i) => parsedRow({}, i + 2)))).toEqual([]);
      }),
    );
  });
});
