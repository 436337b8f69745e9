import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Trx } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { addDays, osloDate } from '../../domain/dates.js';
import { crossRowErrors, missingColumns, parseRosterRecord, type RosterRow, type RowError } from '../../domain/roster-csv.js';
import { UnprocessableError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { audit } from '../audit/audit.service.js';
import { ensureGuardianAccount } from './guardian-account.js';
import { findGuardianLinkByPair, insertGuardianLink, updateGuardianLink } from './guardian.repository.js';
import {
  findAdultByEmail,
  findChildrenByNameAndBirthDate,
  findPerson,
  findPersonByExternalId,
  insertMembership,
  insertPerson,
  listMemberships,
  setMembershipEnd,
  updatePerson,
} from './person.repository.js';
import { findGroupByName, findUnitByName, insertGroup } from './unit.repository.js';

export interface ImportSummary {
  groupsCreated: number;
  childrenCreated: number;
  childrenUpdated: number;
  guardiansCreated: number;
  linksCreated: number;
  linksUpdated: number;
  membershipsCreated: number;
  /** Rows that changed nothing: the registry already said the same. */
  unchanged: number;
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  summary: ImportSummary;
  errors: RowError[];
}

export const MAX_IMPORT_ROWS = 20_000;

class DryRunRollback extends Error {}

/** Reads the CSV text (comma or semicolon separated, as Excel writes it in Norway). */
export function readRosterCsv(text: string): { rows: RosterRow[]; errors: RowError[]; records: number } {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: { record: Record<string, string>; info: { records: number; empty_lines: number } }[];
  try {
    records = parse(clean, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? null;
    return { rows: [], records: 0, errors: [{ row: line ?? 1, column: null, code: 'UNREADABLE_CSV', message: 'The file could not be read as CSV.' }] };
  }
  if (records.length === 0) return { rows: [], records: 0, errors: [{ row: 1, column: null, code: 'EMPTY_FILE', message: 'The file has no rows.' }] };
  if (records.length > MAX_IMPORT_ROWS) {
    return {
      rows: [],
      records: records.length,
      errors: [{ row: 1, column: null, code: 'TOO_MANY_ROWS', message: `The file has more than ${MAX_IMPORT_ROWS} rows; split it.` }],
    };
  }
  const missing = missingColumns(Object.keys(records[0]!.record));
  if (missing.length > 0) {
    return {
      rows: [],
      records: records.length,
      errors: missing.map((c) => ({ row: 1, column: c, code: 'MISSING_COLUMN', message: `The column ${c} is missing.` })),
    };
  }
  const rows: RosterRow[] = [];
  const errors: RowError[] = [];
  for (const { record, info } of records) {
    // A spreadsheet shows skipped blank lines as rows too, and a quoted line break as none.
    const result = parseRosterRecord(record, 1 + info.empty_lines + info.records);
    if ('row' in result) rows.push(result.row);
    else errors.push(...result.errors);
  }
  errors.push(...crossRowErrors(rows));
  return { rows, errors, records: records.length };
}

/**
 * Imports a roster. A dry run performs the very same work in a transaction that is then
 * rolled back, so its report is exactly what the real import will do. Re-importing the same
 * file changes nothing.
 */
export async function importRoster(
  ctx: AppContext,
  actor: Actor,
  csv: string,
  options: { dryRun: boolean; onProgress?: (done: number, total: number) => void },
): Promise<ImportReport> {
  await requireRole(ctx, actor, ['admin'], 'roster_import');
  const { rows, errors, records } = readRosterCsv(csv);
  const summary: ImportSummary = {
    groupsCreated: 0,
    childrenCreated: 0,
    childrenUpdated: 0,
    guardiansCreated: 0,
    linksCreated: 0,
    linksUpdated: 0,
    membershipsCreated: 0,
    unchanged: 0,
  };
  if (errors.length === 0) {
    try {
      await ctx.db.transaction().execute(async (trx) => {
        await applyRows(ctx, trx, actor, rows, summary, errors, options.onProgress);
        if (options.dryRun || errors.length > 0) throw new DryRunRollback();
        await audit(ctx, trx, actor, { action: 'roster.imported', objectType: 'organisation', objectId: actor.organisationId, payload: { rows: rows.length, ...summary } });
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
  }
  errors.sort((a, b) => a.row - b.row);
  const report: ImportReport = { dryRun: options.dryRun, rows: records, summary, errors };
  if (!options.dryRun && errors.length > 0) {
    throw new UnprocessableError('IMPORT_HAS_ERRORS', 'The file has errors, so nothing was imported. Fix the rows listed and try again.', report);
  }
  return report;
}

async function applyRows(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  rows: readonly RosterRow[],
  summary: ImportSummary,
  errors: RowError[],
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const today = osloDate(now);
  const org = actor.organisationId;
  for (const [i, r] of rows.entries()) {
    onProgress?.(i, rows.length);
    let changed = false;
    const unit = await findUnitByName(trx, org, r.unit);
    if (!unit) {
      errors.push({ row: r.row, column: 'unit', code: 'UNKNOWN_UNIT', message: `There is no unit called "${r.unit}". Create it first.` });
      continue;
    }
    let group = await findGroupByName(trx, unit.id, r.group);
    if (!group) {
      const id = randomUUID();
      await insertGroup(trx, { id, unitId: unit.id, name: r.group, now: nowIso });
      await audit(ctx, trx, actor, { action: 'group.created', objectType: 'group', objectId: id, payload: { unitId: unit.id, source: 'import' } });
      group = (await findGroupByName(trx, unit.id, r.group))!;
      summary.groupsCreated += 1;
      changed = true;
    }

    let child = r.childId ? await findPersonByExternalId(trx, org, r.childId) : undefined;
    if (!child) {
      // An exact match: a LIKE search misses Å, Æ and Ø on SQLite and stops at its limit.
      const sameName = await findChildrenByNameAndBirthDate(trx, org, r.childFirstName, r.childLastName, r.childBirthDate);
      child = sameName.find((p) => !r.childId || !p.external_id);
    }
    if (!child) {
      const id = randomUUID();
      await insertPerson(trx, {
        id,
        organisationId: org,
        kind: 'child',
        firstName: r.childFirstName,
        lastName: r.childLastName,
        birthDate: r.childBirthDate,
        email: null,
        phone: null,
        externalId: r.childId,
        now: nowIso,
      });
      await audit(ctx, trx, actor, { action: 'person.created', objectType: 'person', objectId: id, payload: { kind: 'child', source: 'import' } });
      child = (await findPerson(trx, id))!;
      summary.childrenCreated += 1;
      changed = true;
    } else if (child.first_name !== r.childFirstName || child.last_name !== r.childLastName || child.birth_date !== r.childBirthDate) {
      await updatePerson(trx, child.id, { firstName: r.childFirstName, lastName: r.childLastName, birthDate: r.childBirthDate }, nowIso);
      await audit(ctx, trx, actor, { action: 'person.updated', objectType: 'person', objectId: child.id, payload: { source: 'import' } });
      summary.childrenUpdated += 1;
      changed = true;
    }

    const memberships = await listMemberships(trx, [child.id]);
    const inGroup = memberships.some((m) => m.group_id === group!.id && (m.to_date === null || m.to_date >= today));
    if (!inGroup) {
      const from = r.startDate ?? today;
      // A move to another group of the same unit ends the open membership in the old group the
      // day before, so the child is in one group at a time and keeps one uninterrupted stay.
      for (const old of memberships.filter((m) => m.unit_id === unit.id && m.group_id !== group!.id && (m.to_date === null || m.to_date >= from))) {
        const lastDay = addDays(from, -1) < old.from_date ? old.from_date : addDays(from, -1);
        await setMembershipEnd(trx, old.id, lastDay);
        await audit(ctx, trx, actor, { action: 'membership.ended', objectType: 'membership', objectId: old.id, payload: { personId: child.id, to: lastDay, source: 'import' } });
      }
      const id = randomUUID();
      await insertMembership(trx, { id, personId: child.id, groupId: group.id, from, to: null, now: nowIso });
      await audit(ctx, trx, actor, { action: 'membership.created', objectType: 'membership', objectId: id, payload: { personId: child.id, groupId: group.id, source: 'import' } });
      summary.membershipsCreated += 1;
      changed = true;
    }

    let guardian = await findAdultByEmail(trx, org, r.guardianEmail);
    if (!guardian) {
      const id = randomUUID();
      await insertPerson(trx, {
        id,
        organisationId: org,
        kind: 'adult',
        firstName: r.guardianFirstName,
        lastName: r.guardianLastName,
        birthDate: null,
        email: r.guardianEmail,
        phone: r.guardianPhone,
        externalId: null,
        now: nowIso,
      });
      await audit(ctx, trx, actor, { action: 'person.created', objectType: 'person', objectId: id, payload: { kind: 'adult', source: 'import' } });
      guardian = (await findPerson(trx, id))!;
      summary.guardiansCreated += 1;
      changed = true;
      await ensureGuardianAccount(ctx, trx, actor, guardian);
    }

    const link = await findGuardianLinkByPair(trx, child.id, guardian.id);
    if (!link) {
      const id = randomUUID();
      await insertGuardianLink(trx, { id, childId: child.id, guardianId: guardian.id, role: r.guardianRole, responsibility: r.responsibility, now: nowIso });
      await audit(ctx, trx, actor, {
        action: 'guardian_link.created',
        objectType: 'guardian_link',
        objectId: id,
        payload: { childId: child.id, guardianId: guardian.id, role: r.guardianRole, responsibility: r.responsibility, source: 'import' },
      });
      summary.linksCreated += 1;
      changed = true;
    } else if (link.role !== r.guardianRole || (link.responsibility === 1) !== r.responsibility) {
      await updateGuardianLink(trx, link.id, { role: r.guardianRole, responsibility: r.responsibility }, nowIso);
      await audit(ctx, trx, actor, {
        action: 'guardian_link.updated',
        objectType: 'guardian_link',
        objectId: link.id,
        payload: { childId: child.id, role: r.guardianRole, responsibility: r.responsibility, source: 'import' },
      });
      summary.linksUpdated += 1;
      changed = true;
    }
    if (!changed) summary.unchanged += 1;
  }
  onProgress?.(rows.length, rows.length);
}
