import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

type Agent = ReturnType<typeof as>;

const HEADER = [
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
type Row = Partial<Record<(typeof HEADER)[number], string>>;

/** One CSV line per child–guardian pair, as a municipality's school system exports it. */
function rosterCsv(rows: Row[], options: { delimiter?: string; bom?: boolean; eol?: string } = {}): string {
  const { delimiter = ',', bom = false, eol = '\n' } = options;
  const quote = (v: string) => (v.includes(delimiter) || v.includes('"') || v.includes('\n') ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [HEADER.join(delimiter), ...rows.map((r) => HEADER.map((c) => quote(r[c] ?? '')).join(delimiter))];
  return `${bom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
}

/** A child with one or two guardians, in a group of Solsikken barnehage. */
function family(
  childId: string,
  child: { first: string; last: string; birth: string; group: string; start?: string },
  guardians: { first: string; last?: string; email: string; role?: string; responsibility?: string; phone?: string }[],
): Row[] {
  return guardians.map((g) => ({
    unit: 'Solsikken barnehage',
    group: child.group,
    child_id: childId,
    child_first_name: child.first,
    child_last_name: child.last,
    child_birth_date: child.birth,
    start_date: child.start ?? '2025-08-15',
    guardian_first_name: g.first,
    guardian_last_name: g.last ?? child.last,
    guardian_email: g.email,
    guardian_phone: g.phone ?? '',
    guardian_role: g.role ?? 'parent',
    parental_responsibility: g.responsibility ?? 'yes',
  }));
}

const ZERO = { groupsCreated: 0, childrenCreated: 0, childrenUpdated: 0, guardiansCreated: 0, linksCreated: 0, linksUpdated: 0, membershipsCreated: 0, unchanged: 0 };

interface PersonDto {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  externalId: string | null;
  memberships: { groupId: string; from: string; to: string | null }[];
}

describe.each(testEngines())('roster import [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let admin: Agent;

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    admin = as(app, await tokenFor(app, 'admin@demo.no'));
  });
  afterAll(() => t.close());

  const importCsv = (csv: string, dryRun: boolean, agent: Agent = admin) =>
    agent.post(`/api/import/roster${dryRun ? '?dryRun=true' : ''}`).set('Content-Type', 'text/csv').send(csv);

  async function people(): Promise<PersonDto[]> {
    const res = await admin.get('/api/people');
    expect(res.status).toBe(200);
    // The list is capped at 500; a count near the cap would be no count at all.
    expect(res.body.people.length).toBeLessThan(500);
    return res.body.people;
  }
  const latestAuditSeq = async () => ((await admin.get('/api/audit?limit=1')).body.events[0]?.seq as number) ?? 0;
  const auditSince = async (seq: number) =>
    ((await admin.get('/api/audit?limit=1000')).body.events as { seq: number; action: string; objectId: string; payload: object }[]).filter((e) => e.seq > seq);
  const byExternalId = async (id: string) => (await people()).filter((p) => p.externalId === id);
  async function groupsOfSolsikken() {
    const unit = ((await admin.get('/api/units')).body.units as { id: string; name: string }[]).find((u) => u.name === 'Solsikken barnehage')!;
    return (await admin.get(`/api/units/${unit.id}/groups`)).body.groups as { id: string; name: string }[];
  }

  it('a dry run writes nothing, and predicts exactly what the real import then does', async () => {
    const csv = rosterCsv([
      ...family('DRY-1', { first: 'Ingrid', last: 'Solberg', birth: '2021-02-14', group: 'Tusenfryd' }, [
        { first: 'Kristin', email: 'kristin.solberg@example.no' },
        { first: 'Eirik', email: 'eirik.solberg@example.no', phone: '+47 98765432' },
      ]),
      ...family('DRY-2', { first: 'Mons', last: 'Solberg', birth: '2023-06-01', group: 'Blåklokka' }, [
        { first: 'Kristin', email: 'kristin.solberg@example.no' },
      ]),
    ]);
    const peopleBefore = (await people()).length;
    const groupsBefore = await groupsOfSolsikken();
    const seqBefore = await latestAuditSeq();

    const dry = await importCsv(csv, true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      rows: 3,
      summary: { ...ZERO, groupsCreated: 1, childrenCreated: 2, guardiansCreated: 2, linksCreated: 3, membershipsCreated: 2 },
      errors: [],
    });
    expect((await people()).length).toBe(peopleBefore);
    expect(await groupsOfSolsikken()).toEqual(groupsBefore);
    expect(await latestAuditSeq(), 'a dry run leaves no audit event').toBe(seqBefore);
    expect((await admin.get('/api/accounts')).body.accounts.map((a: { email: string }) => a.email)).not.toContain('kristin.solberg@example.no');

    const real = await importCsv(csv, false);
    expect(real.status, JSON.stringify(real.body)).toBe(200);
    expect(real.body).toEqual({ ...dry.body, dryRun: false });
    expect((await people()).length).toBe(peopleBefore + 4);
  });

  it('imported children, guardians and links are what the API then shows, and a guardian can sign in to see their children', async () => {
    const csv = rosterCsv([
      ...family('SHOW-1', { first: 'Julie', last: 'Nygård', birth: '2020-12-24', group: 'Prestekragen', start: '2025-09-01' }, [
        { first: 'Åsmund', email: 'asmund.nygard@example.no', phone: '+47 45454545' },
        { first: 'Bodil', last: 'Fosse', email: 'bodil.fosse@example.no', role: 'foster_parent', responsibility: 'no' },
      ]),
    ]);
    const seq = await latestAuditSeq();
    const res = await importCsv(csv, false);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const [julie] = await byExternalId('SHOW-1');
    const prestekragen = (await groupsOfSolsikken()).find((g) => g.name === 'Prestekragen')!;
    expect(julie).toMatchObject({ firstName: 'Julie', lastName: 'Nygård', birthDate: '2020-12-24', memberships: [{ groupId: prestekragen.id, from: '2025-09-01', to: null }] });
    const guardians = (await admin.get(`/api/people/${julie!.id}/guardians`)).body.guardians;
    expect(guardians.map((g: { role: string; responsibility: boolean; guardian: object }) => ({ role: g.role, responsibility: g.responsibility, guardian: g.guardian }))).toEqual(
      expect.arrayContaining([
        { role: 'parent', responsibility: true, guardian: expect.objectContaining({ firstName: 'Åsmund', lastName: 'Nygård', email: 'asmund.nygard@example.no', phone: '+47 45454545' }) },
        { role: 'foster_parent', responsibility: false, guardian: expect.objectContaining({ firstName: 'Bodil', lastName: 'Fosse', email: 'bodil.fosse@example.no' }) },
      ]),
    );

    const events = await auditSince(seq);
    expect(events.map((e) => e.action).sort()).toEqual(
      [
        'account.created',
        'account.created',
        'guardian_link.created',
        'guardian_link.created',
        'membership.created',
        'person.created',
        'person.created',
        'person.created',
        'roster.imported',
      ].sort(),
    );
    const imported = events.find((e) => e.action === 'roster.imported')!;
    expect(imported.payload).toEqual({ rows: 2, ...ZERO, childrenCreated: 1, guardiansCreated: 2, linksCreated: 2, membershipsCreated: 1 });
    const payloads = JSON.stringify(events.map((e) => e.payload)).toLowerCase();
    for (const personal of ['julie', 'nygård', 'åsmund', 'bodil', 'fosse', 'example.no', '2020-12-24', '45454545']) expect(payloads).not.toContain(personal);

    await request(app).post('/api/auth/magic-link').send({ email: 'asmund.nygard@example.no' }).expect(202);
    const link = /\/logg-inn\/lenke\/([A-Za-z0-9_-]+)/.exec(t.mailer.lastTo('asmund.nygard@example.no')!.text)![1];
    const signedIn = await request(app).get(`/api/auth/magic/${link}`);
    expect(signedIn.status).toBe(200);
    const seen = (await as(app, signedIn.body.token).get('/api/people')).body.people as PersonDto[];
    expect(seen.map((p) => p.id)).toEqual([julie!.id]);
  });

  it('re-importing the same file changes nothing', async () => {
    const csv = rosterCsv([
      ...family('SAME-1', { first: 'Oda', last: 'Lunde', birth: '2021-10-10', group: 'Hvitveis' }, [
        { first: 'Gro', email: 'gro.lunde@example.no' },
        { first: 'Pål', email: 'pal.lunde@example.no', responsibility: 'no', role: 'verge' },
      ]),
      ...family('SAME-2', { first: 'Isak', last: 'Lunde', birth: '2023-03-03', group: 'Hvitveis' }, [{ first: 'Gro', email: 'gro.lunde@example.no' }]),
    ]);
    expect((await importCsv(csv, false)).status).toBe(200);
    const peopleAfterFirst = await people();
    const seq = await latestAuditSeq();

    const dry = await importCsv(csv, true);
    expect(dry.body).toEqual({ dryRun: true, rows: 3, summary: { ...ZERO, unchanged: 3 }, errors: [] });
    const again = await importCsv(csv, false);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ dryRun: false, rows: 3, summary: { ...ZERO, unchanged: 3 }, errors: [] });

    expect(await people()).toEqual(peopleAfterFirst);
    expect((await auditSince(seq)).map((e) => e.action), 'only the import itself is recorded').toEqual(['roster.imported']);
  });

  it('children without a child_id are recognised again by name and birth date, also with æ, ø and å in their names', async () => {
    const rows = [
      ...family('', { first: 'Øyvind', last: 'Ødegård', birth: '2021-01-15', group: 'Blåklokka' }, [
        { first: 'Åse', email: 'ase.odegard@example.no' },
        { first: 'Ærling', email: 'aerling.odegard@example.no' },
      ]),
      ...family('', { first: 'Emil', last: 'Bø', birth: '2022-05-05', group: 'Blåklokka' }, [{ first: 'Eli', email: 'eli.bo@example.no' }]),
    ];
    const csv = rosterCsv(rows);
    const first = await importCsv(csv, false);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.summary).toEqual({ ...ZERO, childrenCreated: 2, guardiansCreated: 3, linksCreated: 3, membershipsCreated: 2 });
    const named = async () => (await people()).filter((p) => ['Ødegård', 'Bø'].includes(p.lastName) && p.birthDate);
    expect((await named()).map((p) => p.firstName).sort()).toEqual(['Emil', 'Øyvind']);

    const second = await importCsv(csv, false);
    expect(second.body.summary).toEqual({ ...ZERO, unchanged: 3 });
    expect((await named()).map((p) => p.firstName).sort()).toEqual(['Emil', 'Øyvind']);
  });

  it('a semicolon-separated file with a byte-order mark, Norwegian dates, Norwegian role words and ja/nei is understood', async () => {
    const rows = [
      ...family('NO-1', { first: 'Hedda', last: 'Brekke', birth: '03.04.2021', group: 'Blåklokka', start: '1.8.2024' }, [
        { first: 'Solveig', email: 'solveig.brekke@example.no', role: 'Forelder', responsibility: 'ja' },
        { first: 'Barneverntjenesten', last: 'Demo kommune', email: 'barnevern.brekke@example.no', role: 'barnevern', responsibility: 'ja' },
        { first: 'Reidar', email: 'reidar.brekke@example.no', role: 'verge', responsibility: 'nei' },
      ]),
    ];
    const csv = rosterCsv(rows, { delimiter: ';', bom: true, eol: '\r\n' });
    const dry = await importCsv(csv, true);
    expect(dry.body, JSON.stringify(dry.body)).toMatchObject({ rows: 3, errors: [], summary: { childrenCreated: 1, guardiansCreated: 3, linksCreated: 3 } });
    const res = await importCsv(csv, false);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const [hedda] = await byExternalId('NO-1');
    expect(hedda).toMatchObject({ firstName: 'Hedda', lastName: 'Brekke', birthDate: '2021-04-03', memberships: [{ from: '2024-08-01', to: null }] });
    const guardians = (await admin.get(`/api/people/${hedda!.id}/guardians`)).body.guardians as { role: string; responsibility: boolean; guardian: { email: string } }[];
    expect(guardians.map((g) => [g.guardian.email, g.role, g.responsibility]).sort()).toEqual([
      ['barnevern.brekke@example.no', 'child_welfare', true],
      ['reidar.brekke@example.no', 'appointed_guardian', false],
      ['solveig.brekke@example.no', 'parent', true],
    ]);
  });

  it('a dry run reports row-level errors with the spreadsheet line number and column, and writes nothing', async () => {
    const ok = family('ERR-1', { first: 'Maja', last: 'Hovland', birth: '2021-06-06', group: 'Blåklokka' }, [{ first: 'Tone', email: 'tone.hovland@example.no' }]);
    const csv = rosterCsv([
      ...ok, // line 2
      { ...ok[0], child_id: 'ERR-2', child_first_name: 'Mikkel', child_birth_date: '31.02.2020' }, // line 3
      { ...ok[0], child_id: 'ERR-3', child_first_name: 'Mathilde', guardian_email: 'tone-at-example.no', guardian_role: 'onkel' }, // line 4
      { ...ok[0], child_id: 'ERR-4', child_first_name: 'Magnus', parental_responsibility: 'kanskje' }, // line 5
      { ...ok[0], child_id: 'ERR-5', child_first_name: '' }, // line 6
    ]);
    const peopleBefore = (await people()).length;
    const seq = await latestAuditSeq();

    const dry = await importCsv(csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.rows).toBe(5);
    expect(dry.body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, 'child_birth_date', 'INVALID_DATE'],
      [4, 'guardian_email', 'INVALID_EMAIL'],
      [4, 'guardian_role', 'INVALID_ROLE'],
      [5, 'parental_responsibility', 'INVALID_YES_NO'],
      [6, 'child_first_name', 'REQUIRED'],
    ]);
    for (const e of dry.body.errors) expect(e.message).toEqual(expect.any(String));

    const real = await importCsv(csv, false);
    expect(real.status).toBe(422);
    expect(real.body.error.code).toBe('IMPORT_HAS_ERRORS');
    expect(real.body.error.details.errors).toEqual(dry.body.errors);
    expect(real.body.error.details.dryRun).toBe(false);

    expect((await people()).length).toBe(peopleBefore);
    expect(await byExternalId('ERR-1'), 'the valid row is not imported either').toEqual([]);
    expect(await latestAuditSeq()).toBe(seq);
  });

  it('a blank line in the middle of the file does not shift the line numbers in errors', async () => {
    const ok = family('BLANK-1', { first: 'Aksel', last: 'Nes', birth: '2021-06-06', group: 'Blåklokka' }, [{ first: 'Mona', email: 'mona.nes@example.no' }]);
    const lines = rosterCsv([...ok, { ...ok[0], child_id: 'BLANK-2', child_birth_date: 'i fjor' }]).split('\n');
    // header, row, blank line, bad row: the bad row is on line 4.
    const csv = [lines[0], lines[1], '', lines[2], ''].join('\n');
    const dry = await importCsv(csv, true);
    expect(dry.body.errors).toEqual([expect.objectContaining({ row: 4, column: 'child_birth_date', code: 'INVALID_DATE' })]);
    expect(dry.body.rows).toBe(2);
  });

  it('a unit that does not exist is an error, and none of the file is imported', async () => {
    const good = family('UNIT-1', { first: 'Selma', last: 'Tangen', birth: '2021-07-07', group: 'Nyvalgt' }, [{ first: 'Ane', email: 'ane.tangen@example.no' }]);
    const csv = rosterCsv([...good, { ...good[0], unit: 'Ukjent skole', child_id: 'UNIT-2', child_first_name: 'Sverre' }]);
    const dry = await importCsv(csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body.rows).toBe(2);
    expect(dry.body.errors).toEqual([{ row: 3, column: 'unit', code: 'UNKNOWN_UNIT', message: expect.stringContaining('Ukjent skole') }]);

    const real = await importCsv(csv, false);
    expect(real.status).toBe(422);
    expect(real.body.error.code).toBe('IMPORT_HAS_ERRORS');
    expect(real.body.error.details.errors).toEqual(dry.body.errors);
    expect(await byExternalId('UNIT-1')).toEqual([]);
    expect((await groupsOfSolsikken()).map((g) => g.name)).not.toContain('Nyvalgt');
  });

  it('rows that describe the same child or guardian differently are errors', async () => {
    const rows = [
      ...family('CONF-1', { first: 'Tobias', last: 'Eide', birth: '2021-08-08', group: 'Blåklokka' }, [
        { first: 'Nina', email: 'nina.eide@example.no' },
        { first: 'Rune', email: 'rune.eide@example.no' },
      ]),
      ...family('CONF-2', { first: 'Tuva', last: 'Eide', birth: '2022-08-08', group: 'Blåklokka' }, [{ first: 'Nina', email: 'nina.eide@example.no' }]),
    ];
    rows[1] = { ...rows[1], child_last_name: 'Eide-Berg' }; // line 3: CONF-1 again, another last name
    rows[2] = { ...rows[2], guardian_first_name: 'Nina Marie' }; // line 4: Nina's address with another name
    const dry = await importCsv(rosterCsv(rows), true);
    expect(dry.body.rows).toBe(3);
    expect(dry.body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, 'child_id', 'CONFLICTING_ROWS'],
      [4, 'guardian_email', 'CONFLICTING_ROWS'],
    ]);
    expect(dry.body.errors[0].message).toContain('line 2');
    const real = await importCsv(rosterCsv(rows), false);
    expect(real.status).toBe(422);
    expect(await byExternalId('CONF-1')).toEqual([]);
  });

  it('a changed guardian role or responsibility in a re-import updates the link', async () => {
    const rows = family('UPD-1', { first: 'Nikolai', last: 'Aune', birth: '2020-04-04', group: 'Blåklokka' }, [
      { first: 'Heidi', email: 'heidi.aune@example.no', role: 'forelder', responsibility: 'ja' },
      { first: 'Geir', email: 'geir.aune@example.no', role: 'forelder', responsibility: 'ja' },
    ]);
    expect((await importCsv(rosterCsv(rows), false)).status).toBe(200);
    const [nikolai] = await byExternalId('UPD-1');
    const linkOf = async (email: string) =>
      ((await admin.get(`/api/people/${nikolai!.id}/guardians`)).body.guardians as { id: string; role: string; responsibility: boolean; guardian: { email: string } }[]).find(
        (l) => l.guardian.email === email,
      )!;
    const geirBefore = await linkOf('geir.aune@example.no');
    const seq = await latestAuditSeq();

    rows[1] = { ...rows[1], guardian_role: 'fosterforelder', parental_responsibility: 'nei' };
    const dry = await importCsv(rosterCsv(rows), true);
    expect(dry.body.summary).toEqual({ ...ZERO, linksUpdated: 1, unchanged: 1 });
    const res = await importCsv(rosterCsv(rows), false);
    expect(res.body.summary).toEqual(dry.body.summary);

    const geir = await linkOf('geir.aune@example.no');
    expect(geir).toMatchObject({ id: geirBefore.id, role: 'foster_parent', responsibility: false });
    expect(await linkOf('heidi.aune@example.no')).toMatchObject({ role: 'parent', responsibility: true });
    const events = await auditSince(seq);
    expect(events.map((e) => e.action).sort()).toEqual(['guardian_link.updated', 'roster.imported']);
    expect(events.find((e) => e.action === 'guardian_link.updated')).toMatchObject({
      objectId: geir.id,
      payload: { childId: nikolai!.id, role: 'foster_parent', responsibility: false, source: 'import' },
    });
  });

  it('a changed name for the same child_id updates the child instead of adding one', async () => {
    const rows = family('REN-1', { first: 'Linnea', last: 'Sand', birth: '2021-11-11', group: 'Blåklokka' }, [{ first: 'Kjersti', email: 'kjersti.sand@example.no' }]);
    expect((await importCsv(rosterCsv(rows), false)).status).toBe(200);
    const renamed = [{ ...rows[0], child_last_name: 'Sand Olsen' }];
    const res = await importCsv(rosterCsv(renamed), false);
    expect(res.body.summary).toEqual({ ...ZERO, childrenUpdated: 1 });
    expect((await byExternalId('REN-1')).map((p) => `${p.firstName} ${p.lastName}`)).toEqual(['Linnea Sand Olsen']);
  });

  it('a child moved to another group in a re-import leaves the old group the day before, with one uninterrupted stay', async () => {
    const rows = family('MOVE-1', { first: 'Tuva', last: 'Flytt', birth: '2021-05-05', group: 'Blåklokka', start: '2025-08-15' }, [{ first: 'Mona', email: 'mona.flytt@example.no' }]);
    expect((await importCsv(rosterCsv(rows), false)).status).toBe(200);
    const moved = [{ ...rows[0], group: 'Prestekragen', start_date: '2026-01-05' }];
    const res = await importCsv(rosterCsv(moved), false);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ ...ZERO, membershipsCreated: 1 });
    const groups = await groupsOfSolsikken();
    const [child] = await byExternalId('MOVE-1');
    const byGroup = Object.fromEntries(child!.memberships.map((m) => [groups.find((g) => g.id === m.groupId)!.name, { from: m.from, to: m.to }]));
    expect(byGroup).toEqual({ Blåklokka: { from: '2025-08-15', to: '2026-01-04' }, Prestekragen: { from: '2026-01-05', to: null } });
  });

  it('a file without the required columns is refused before any row is read', async () => {
    const csv = 'unit,group,child_first_name,child_last_name,child_birth_date\nSolsikken barnehage,Blåklokka,Per,Hansen,2021-01-01\n';
    const dry = await importCsv(csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [1, 'guardian_first_name', 'MISSING_COLUMN'],
      [1, 'guardian_last_name', 'MISSING_COLUMN'],
      [1, 'guardian_email', 'MISSING_COLUMN'],
      [1, 'guardian_role', 'MISSING_COLUMN'],
      [1, 'parental_responsibility', 'MISSING_COLUMN'],
    ]);
    const empty = await importCsv(HEADER.join(',') + '\n', true);
    expect(empty.body.errors).toEqual([expect.objectContaining({ row: 1, code: 'EMPTY_FILE' })]);
  });

  it('the file can also be sent as JSON { csv }, and a request with no file is a validation error', async () => {
    const csv = rosterCsv(family('JSON-1', { first: 'Jonas', last: 'Rønning', birth: '2022-02-02', group: 'Blåklokka' }, [{ first: 'Berit', email: 'berit.ronning@example.no' }]));
    const res = await admin.post('/api/import/roster?dryRun=true').send({ csv });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ childrenCreated: 1, guardiansCreated: 1 });
    const none = await admin.post('/api/import/roster').send({ file: 'roster.csv' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('only an admin may import a roster, even as a dry run', async () => {
    const csv = rosterCsv(family('DENY-1', { first: 'Kaja', last: 'Fjeld', birth: '2021-01-01', group: 'Blåklokka' }, [{ first: 'Unni', email: 'unni.fjeld@example.no' }]));
    for (const email of ['leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no', 'elev@demo.no']) {
      const agent = as(app, await tokenFor(app, email));
      for (const dryRun of [true, false]) {
        const res = await importCsv(csv, dryRun, agent);
        expect(res.status, `${email} dryRun=${dryRun}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    }
    const anonymous = await request(app).post('/api/import/roster').set('Content-Type', 'text/csv').send(csv);
    expect(anonymous.status).toBe(401);
    expect(await byExternalId('DENY-1')).toEqual([]);
  });

  it('after all these imports the audit chain still verifies', async () => {
    expect((await admin.get('/api/audit/verify')).body).toMatchObject({ ok: true, brokenAt: null });
  });
});
