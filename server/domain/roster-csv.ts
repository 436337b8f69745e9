import type { GuardianRole } from '../../db/schema.js';
import { parseCalendarDate, type IsoDate } from './dates.js';

/** The columns of a roster file, one row per child–guardian pair (see README). */
export const ROSTER_COLUMNS = [
  'unit',
  'group',
  'child_id',
  'child_first_name',
  'child_last_name',
  'child_birth_date',
  'start_date',
  'guardian_first_name',
  'guardian_last_name',
  'guardian_email',
  'guardian_phone',
  'guardian_role',
  'parental_responsibility',
] as const;

const REQUIRED: readonly (typeof ROSTER_COLUMNS)[number][] = [
  'unit',
  'group',
  'child_first_name',
  'child_last_name',
  'child_birth_date',
  'guardian_first_name',
  'guardian_last_name',
  'guardian_email',
  'guardian_role',
  'parental_responsibility',
];

export interface RosterRow {
  /** The line in the file, counting the header as line 1, as a spreadsheet shows it. */
  row: number;
  unit: string;
  group: string;
  childId: string | null;
  childFirstName: string;
  childLastName: string;
  childBirthDate: IsoDate;
  startDate: IsoDate | null;
  guardianFirstName: string;
  guardianLastName: string;
  guardianEmail: string;
  guardianPhone: string | null;
  guardianRole: GuardianRole;
  responsibility: boolean;
}

export interface RowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

const ROLE_WORDS: Record<string, GuardianRole> = {
  parent: 'parent',
  forelder: 'parent',
  foreldre: 'parent',
  mor: 'parent',
  far: 'parent',
  foster_parent: 'foster_parent',
  fosterforelder: 'foster_parent',
  fosterforeldre: 'foster_parent',
  child_welfare: 'child_welfare',
  barnevern: 'child_welfare',
  barneverntjenesten: 'child_welfare',
  appointed_guardian: 'appointed_guardian',
  verge: 'appointed_guardian',
};

const YES = new Set(['yes', 'ja', 'true', '1', 'y', 'j', 'x']);
const NO = new Set(['no', 'nei', 'false', '0', 'n', '']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 100;

/** Checks the header; returns the missing required columns. */
export function missingColumns(header: readonly string[]): string[] {
  const have = new Set(header.map((h) => h.trim().toLowerCase()));
  return REQUIRED.filter((c) => !have.has(c));
}

/** Validates one record (keys are the header's column names) into a row or its errors. */
export function parseRosterRecord(record: Record<string, string | undefined>, row: number): { row: RosterRow } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const get = (c: (typeof ROSTER_COLUMNS)[number]) => (record[c] ?? '').trim();
  const err = (column: string, code: string, message: string) => errors.push({ row, column, code, message });

  for (const c of REQUIRED) {
    if (c === 'parental_responsibility') continue;
    if (!get(c)) err(c, 'REQUIRED', `${c} is empty.`);
  }
  for (const c of ['child_first_name', 'child_last_name', 'guardian_first_name', 'guardian_last_name', 'unit', 'group'] as const) {
    if (get(c).length > MAX_NAME) err(c, 'TOO_LONG', `${c} is longer than ${MAX_NAME} characters.`);
  }
  const birth = get('child_birth_date') ? parseCalendarDate(get('child_birth_date')) : null;
  if (get('child_birth_date') && !birth) err('child_birth_date', 'INVALID_DATE', 'child_birth_date is not a date (use YYYY-MM-DD or DD.MM.YYYY).');
  const start = get('start_date') ? parseCalendarDate(get('start_date')) : null;
  if (get('start_date') && !start) err('start_date', 'INVALID_DATE', 'start_date is not a date (use YYYY-MM-DD or DD.MM.YYYY).');
  if (birth && start && start < birth) err('start_date', 'INVALID_DATE', 'start_date is before the child was born.');
  const email = get('guardian_email').toLowerCase();
  if (email && !EMAIL.test(email)) err('guardian_email', 'INVALID_EMAIL', 'guardian_email is not an e-mail address.');
  const role = ROLE_WORDS[get('guardian_role').toLowerCase().replace(/[\s-]+/g, '_')];
  if (get('guardian_role') && !role) {
    err('guardian_role', 'INVALID_ROLE', 'guardian_role must be parent, foster_parent, child_welfare or appointed_guardian.');
  }
  const resp = get('parental_responsibility').toLowerCase();
  if (!YES.has(resp) && !NO.has(resp)) err('parental_responsibility', 'INVALID_YES_NO', 'parental_responsibility must be yes or no.');

  if (errors.length > 0) return { errors };
  return {
    row: {
      row,
      unit: get('unit'),
      group: get('group'),
      childId: get('child_id') || null,
      childFirstName: get('child_first_name'),
      childLastName: get('child_last_name'),
      childBirthDate: birth!,
      startDate: start,
      guardianFirstName: get('guardian_first_name'),
      guardianLastName: get('guardian_last_name'),
      guardianEmail: email,
      guardianPhone: get('guardian_phone') || null,
      guardianRole: role!,
      responsibility: YES.has(resp),
    },
  };
}

/** Rows that describe the same child or guardian differently are errors: the file contradicts itself. */
export function crossRowErrors(rows: readonly RosterRow[]): RowError[] {
  const errors: RowError[] = [];
  const children = new Map<string, RosterRow>();
  const guardians = new Map<string, RosterRow>();
  for (const r of rows) {
    const childKey = r.childId ?? `${r.childFirstName}|${r.childLastName}|${r.childBirthDate}`.toLowerCase();
    const seen = children.get(childKey);
    if (!seen) children.set(childKey, r);
    else if (
      seen.childFirstName !== r.childFirstName ||
      seen.childLastName !== r.childLastName ||
      seen.childBirthDate !== r.childBirthDate ||
      seen.unit !== r.unit ||
      seen.group !== r.group
    ) {
      errors.push({ row: r.row, column: 'child_id', code: 'CONFLICTING_ROWS', message: `This child is described differently on line ${seen.row}.` });
    }
    const g = guardians.get(r.guardianEmail);
    if (!g) guardians.set(r.guardianEmail, r);
    else if (g.guardianFirstName !== r.guardianFirstName || g.guardianLastName !== r.guardianLastName) {
      errors.push({ row: r.row, column: 'guardian_email', code: 'CONFLICTING_ROWS', message: `This e-mail address has another name on line ${g.row}.` });
    }
  }
  return errors;
}
