/**
 * Seeds a large organisation for the publish-gate benchmark, straight into the tables (bulk
 * inserts in large transactions), after the real migrations have created the schema.
 *
 * The organisation: units of 1,000 people each (250 families: two children, two guardians),
 * five groups per unit, kindergartens and schools (pupils from 15 answer for themselves), five
 * purposes with notices (one with a second, material version), six channels, 20 consent
 * decisions per child spread over four school years (given, refused, withdrawn, awaiting a
 * guardian, on an outdated notice, none this year), protection flags and objections, 2,000
 * photos per unit with 1–30 tags each, and publications that passed the gate when they were
 * published (their tagged children have valid consent for the channel's purpose).
 *
 * One child of unit 0 (the "withdrawing child") is tagged in 1,200 photos with a live
 * publication each: 1,000 on external channels and 100 on a hosted channel of the purpose
 * `nett`, and 100 on the internal channel. Nobody else is tagged with that child.
 */
import { createHash, randomUUID } from 'node:crypto';
import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { consentExpiryDate } from '../../server/domain/school-year.js';
import { seededRandom } from '../lib/random.js';

// ---------------------------------------------------------------------------------------------
// Sinks: the same rows go to SQLite (prepared inserts in one transaction per unit) or PostgreSQL (unnest arrays).

type Cell = string | number | null;
type ColumnType = 'text' | 'int';

const TABLES = {
  organisations: { id: 'text', name: 'text', created_at: 'text' },
  units: { id: 'text', organisation_id: 'text', name: 'text', kind: 'text', created_at: 'text', updated_at: 'text' },
  groups: { id: 'text', unit_id: 'text', name: 'text', created_at: 'text', updated_at: 'text' },
  people: {
    id: 'text', organisation_id: 'text', kind: 'text', first_name: 'text', last_name: 'text', birth_date: 'text', email: 'text', phone: 'text',
    external_id: 'text', created_at: 'text', updated_at: 'text',
  },
  memberships: { id: 'text', person_id: 'text', group_id: 'text', from_date: 'text', to_date: 'text', created_at: 'text' },
  guardian_links: { id: 'text', child_id: 'text', guardian_id: 'text', role: 'text', responsibility: 'int', created_at: 'text', updated_at: 'text' },
  accounts: {
    id: 'text', organisation_id: 'text', email: 'text', password_hash: 'text', role: 'text', unit_id: 'text', person_id: 'text', active: 'int',
    created_at: 'text', updated_at: 'text',
  },
  purposes: {
    id: 'text', organisation_id: 'text', code: 'text', name_nb: 'text', name_nn: 'text', name_en: 'text', audience: 'text', guardian_rule: 'text',
    first_name_question: 'int', per_occasion: 'int', active: 'int', sort_order: 'int', created_at: 'text', updated_at: 'text',
  },
  notices: {
    id: 'text', purpose_id: 'text', version: 'int', lang: 'text', material: 'int', what: 'text', where_published: 'text', who_can_see: 'text',
    retention: 'text', withdrawal: 'text', contact: 'text', sha256: 'text', created_by: 'text', created_at: 'text',
  },
  channels: {
    id: 'text', organisation_id: 'text', purpose_id: 'text', unit_id: 'text', name: 'text', slug: 'text', kind: 'text', max_long_edge: 'int',
    active: 'int', created_at: 'text', updated_at: 'text',
  },
  consent_decisions: {
    id: 'text', person_id: 'text', purpose_id: 'text', question: 'text', decision: 'text', decided_by_person_id: 'text', decided_by_role: 'text',
    method: 'text', recorded_by_account_id: 'text', evidence_note: 'text', notice_id: 'text', notice_version: 'int', notice_sha256: 'text',
    occasion: 'text', decided_at: 'text', valid_until: 'text',
  },
  child_views: { id: 'text', person_id: 'text', purpose_id: 'text', objects: 'int', note: 'text', recorded_by_account_id: 'text', recorded_at: 'text' },
  protection_changes: { id: 'text', person_id: 'text', protected: 'int', changed_by_account_id: 'text', changed_at: 'text' },
  photos: {
    id: 'text', organisation_id: 'text', unit_id: 'text', group_id: 'text', uploaded_by: 'text', uploaded_at: 'text', captured_at: 'text',
    width: 'int', height: 'int', display_blob: 'text', display_bytes: 'int', thumb_blob: 'text', thumb_width: 'int', thumb_height: 'int',
    kind: 'text', no_people: 'int', updated_at: 'text',
  },
  photo_tags: { id: 'text', photo_id: 'text', person_id: 'text', recognisable: 'int', created_by: 'text', created_at: 'text' },
  publications: {
    id: 'text', organisation_id: 'text', unit_id: 'text', photo_id: 'text', channel_id: 'text', status: 'text', caption: 'text', alt_text: 'text',
    title: 'text', occasion: 'text', requested_by: 'text', requested_at: 'text', reviewed_by: 'text', reviewed_at: 'text', harm_assessed: 'int',
    review_note: 'text', published_at: 'text', unpublished_at: 'text', unpublish_reason: 'text', external_url: 'text', derivative_blob: 'text',
    derivative_width: 'int', derivative_height: 'int', gate: 'text', decision_ids: 'text', updated_at: 'text',
  },
  takedowns: {
    id: 'text', publication_id: 'text', unit_id: 'text', reason: 'text', person_id: 'text', requested_by: 'text', status: 'text', created_at: 'text',
    due_at: 'text', done_at: 'text', done_by: 'text', evidence: 'text',
  },
} satisfies Record<string, Record<string, ColumnType>>;

type Table = keyof typeof TABLES;
type Row<T extends Table> = { [K in keyof (typeof TABLES)[T]]: Cell };

// Parents before children, so foreign keys hold at every flush.
const ORDER: Table[] = [
  'organisations', 'units', 'groups', 'people', 'memberships', 'guardian_links', 'accounts', 'purposes', 'notices', 'channels',
  'consent_decisions', 'child_views', 'protection_changes', 'photos', 'photo_tags', 'publications', 'takedowns',
];

export interface Sink {
  add<T extends Table>(table: T, row: Row<T>): void;
  /** Writes everything buffered, in one transaction. */
  commit(): Promise<void>;
  rows: Record<Table, number>;
}

abstract class BufferedSink implements Sink {
  protected buffers = new Map<Table, Cell[][]>();
  rows = Object.fromEntries(ORDER.map((t) => [t, 0])) as Record<Table, number>;
  add<T extends Table>(table: T, row: Row<T>): void {
    const cols = Object.keys(TABLES[table]) as (keyof Row<T>)[];
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    buffer.push(cols.map((c) => row[c]));
    this.rows[table]++;
  }
  abstract commit(): Promise<void>;
}

export class SqliteSink extends BufferedSink {
  private statements = new Map<Table, SqliteDatabase.Statement>();
  private deferred: { name: string; sql: string }[] = [];
  constructor(private readonly db: SqliteDatabase.Database) {
    super();
  }
  /**
   * Drops the secondary indexes of the big tables for the load and builds them again after it,
   * from the very SQL the migrations created them with (building sorts once; inserting seeks).
   */
  deferIndexes(tables: readonly Table[]): void {
    const rows = this.db
      .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(',')})`)
      .all(...tables) as { name: string; sql: string }[];
    for (const r of rows) this.db.exec(`drop index ${r.name}`);
    this.deferred.push(...rows);
  }
  restoreIndexes(): void {
    for (const r of this.deferred) this.db.exec(r.sql);
    this.deferred = [];
  }
  private statement(table: Table): SqliteDatabase.Statement {
    let s = this.statements.get(table);
    if (!s) {
      const cols = Object.keys(TABLES[table]);
      // One row per statement: better-sqlite3 binds a short row faster than a long multi-row one.
      s = this.db.prepare(`insert into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`);
      this.statements.set(table, s);
    }
    return s;
  }
  async commit(): Promise<void> {
    this.db.transaction(() => {
      for (const table of ORDER) {
        const buffer = this.buffers.get(table);
        if (!buffer) continue;
        const statement = this.statement(table);
        for (const row of buffer) statement.run(row);
      }
    })();
    this.buffers.clear();
  }
}

const PG_BATCH = 20_000;

export class PostgresSink extends BufferedSink {
  constructor(private readonly client: pg.ClientBase) {
    super();
  }
  async commit(): Promise<void> {
    await this.client.query('begin');
    try {
      for (const table of ORDER) {
        const buffer = this.buffers.get(table);
        if (!buffer) continue;
        const columns = Object.entries(TABLES[table]);
        const casts = columns.map(([, type], i) => `$${i + 1}::${type === 'int' ? 'integer' : 'text'}[]`).join(',');
        const sql = `insert into ${table} (${columns.map(([c]) => c).join(',')}) select * from unnest(${casts})`;
        for (let i = 0; i < buffer.length; i += PG_BATCH) {
          const chunk = buffer.slice(i, i + PG_BATCH);
          await this.client.query(sql, columns.map((_, c) => chunk.map((r) => r[c])));
        }
      }
      await this.client.query('commit');
    } catch (err) {
      await this.client.query('rollback');
      throw err;
    }
    this.buffers.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// The organisation.

/** A small fast PRNG, so that every run seeds the same organisation. */
function prng(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const FIRST = `Ola Kari Emma Jakob Nora Filip Sofie Lukas Ella Oliver Maja Emil Leah Noah Ingrid William Olivia Henrik Sara Aksel Frida
  Magnus Ida Isak Selma Mathias Thea Elias Hedda Tobias Astrid Sander Vilde Jonas Tiril Adrian Linnea Markus Mathilde Kasper Hanna
  Theodor Amalie Johannes Iben Liam Eva Oskar Julie Sebastian Alma Benjamin Ingeborg Kristian Aurora Mikkel Sigrid Håkon Solveig
  Ørjan Åse Bjørn Dagny Eirik Tuva Sindre Live Vetle Marte Torstein Synne Trygve Ylva Øystein Ronja Ask Liv Per Sol Tor Mia
  Ahmed Fatima Ali Amina Mohammed Zainab Aleksander Natalia Jan-Erik Anne-Marie Karl-Johan Mari-Ann Nikolai Oda Gustav Milla Even Signe`
  .split(/\s+/)
  .filter(Boolean);
const LAST = `Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen Eriksen Berg Haugen
  Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand
  Solberg Svendsen Eide Knutsen Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde Solheim
  Berge Moe Nygård Bakke Kristensen Fredriksen Holm Lien Hauge Christensen Andresen Nielsen Knudsen Evensen Sæther Aas Myhre
  Hanssen Ahmed Haugland Thomassen Sivertsen Simonsen Danielsen Berntsen Sandvik Rønning Arnesen Antonsen Næss Vik Ødegård
  Aasen Brekke Tangen Haug Nordmann Fjeld Ruud Brun Østby Åsheim Bjørnstad Dale Foss Gran Hovland Kvam Lyng Mo Nes Rud Sand`
  .split(/\s+/)
  .filter(Boolean);

const CAPTIONS = [
  'Tur i skogen med avdelingen i dag.',
  'Vi bygde en snømann i barnehagen.',
  'Karneval! Takk for en fin dag.',
  'Høstfest med grøt og sang.',
  'Leik på uteområdet i det fine været.',
  'Vi har besøk av brannvesenet.',
  'Skidag i bakken bak skolen.',
  'Førstehjelpskurs for de eldste barna.',
];

export const PURPOSE_CODES = ['internt', 'foreldre', 'nett', 'trykk', 'presse'] as const;
export type PurposeCode = (typeof PURPOSE_CODES)[number];

interface PurposeDef {
  code: PurposeCode;
  name: string;
  audience: 'internal' | 'closed' | 'public' | 'press';
  rule: 'any' | 'both';
  firstName: boolean;
  perOccasion: boolean;
}
const PURPOSES: PurposeDef[] = [
  { code: 'internt', name: 'Intern bruk', audience: 'internal', rule: 'any', firstName: false, perOccasion: false },
  { code: 'foreldre', name: 'Foreldregalleri', audience: 'closed', rule: 'any', firstName: true, perOccasion: false },
  { code: 'nett', name: 'Nettside og sosiale medier', audience: 'public', rule: 'both', firstName: true, perOccasion: false },
  { code: 'trykk', name: 'Trykksaker', audience: 'public', rule: 'both', firstName: false, perOccasion: false },
  { code: 'presse', name: 'Presse', audience: 'press', rule: 'both', firstName: true, perOccasion: true },
];

interface ChannelDef {
  slug: string;
  name: string;
  purpose: PurposeCode;
  kind: 'hosted' | 'external';
  /** Share of the ordinary publications. */
  share: number;
}
const CHANNELS: ChannelDef[] = [
  { slug: 'intranett', name: 'Intranett', purpose: 'internt', kind: 'hosted', share: 0.3 },
  { slug: 'foreldregalleri', name: 'Foreldregalleriet', purpose: 'foreldre', kind: 'hosted', share: 0.3 },
  { slug: 'nettside', name: 'Kommunens nettside', purpose: 'nett', kind: 'hosted', share: 0.15 },
  { slug: 'facebook', name: 'Facebook', purpose: 'nett', kind: 'external', share: 0.15 },
  { slug: 'instagram', name: 'Instagram', purpose: 'nett', kind: 'external', share: 0.05 },
  { slug: 'arsbok', name: 'Årsboka', purpose: 'trykk', kind: 'external', share: 0.05 },
];

export const UNIT_PEOPLE = 1000;
const FAMILIES_PER_UNIT = 250;
const GROUPS_PER_UNIT = 5;
export const PHOTOS_PER_UNIT = 2000;
export const DECISIONS_PER_CHILD = 20;
const MAX_TAGS = 30;
const PUBLISHED_SHARE = 0.1;
export const WITHDRAW_EXTERNAL = 1000;
export const WITHDRAW_HOSTED = 100;
export const WITHDRAW_KEPT = 100;
const SELF_CONSENT_AGE = 15;
const SCHOOL_YEAR_END = { month: 7, day: 31 };

export interface SeedOptions {
  units: number;
  now: Date;
  /** scrypt hash given to the accounts the benchmark signs in with. */
  passwordHash: string;
  progress?: (message: string) => void;
}

export interface Seeded {
  organisationId: string;
  people: number;
  decisions: number;
  photos: number;
  tags: number;
  publications: number;
  purposes: Record<PurposeCode, string>;
  channels: Record<string, { id: string; kind: 'hosted' | 'external'; purpose: PurposeCode }>;
  /** One staff account per unit (in unit order), each with photos that have 30 tags. */
  staff: { email: string; unitId: string; photos30: string[] }[];
  withdrawal: { childId: string; guardianEmail: string; purposeId: string; publications: number; external: number; hosted: number; kept: number };
}

// Tags and decisions are never looked up by their own id on the paths measured; ids that sort in
// the order of insertion keep the primary-key index appends cheap for millions of rows.
let ordered = 0;
const orderedBase = Date.now().toString(16).padStart(12, '0');
function orderedId(): string {
  const c = (ordered++).toString(16).padStart(15, '0');
  return `${orderedBase.slice(0, 8)}-${orderedBase.slice(8)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6)}000`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dateOf = (ms: number) => iso(ms).slice(0, 10);
const DAY = 86_400_000;
const hex = (rng: Rng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rng.next() * 16)];
  return s;
};
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface Child {
  id: string;
  unit: number;
  group: number;
  deciders: { id: string; role: string; account: string }[];
  /** Guardians with parental responsibility (who answered before a pupil turned 15). */
  guardians: { id: string; role: string; account: string }[];
  self: boolean;
  /** Valid consent for the purpose's photo question now (mirrors the rule for the cases generated). */
  valid: Set<PurposeCode>;
  /** The decisions a gate relies on for each purpose with valid consent. */
  decisionIds: Map<PurposeCode, string[]>;
  inUnit: boolean;
}

/** Seeds the organisation through the sink, one unit per transaction. */
export async function seedOrganisation(sink: Sink, o: SeedOptions): Promise<Seeded> {
  const rng = prng(20261123);
  const now = o.now.getTime();
  const say = o.progress ?? (() => {});
  // School years end on 31 July: "this year" began on the 1 August before now.
  const thisYear = new Date(now).getUTCMonth() >= 7 ? new Date(now).getUTCFullYear() : new Date(now).getUTCFullYear() - 1;
  const yearStart = Date.UTC(thisYear, 7, 1);
  const between = (from: number, to: number) => from + Math.floor(rng.next() * Math.max(1, to - from));

  const organisationId = randomUUID();
  sink.add('organisations', { id: organisationId, name: 'Benchmark kommune', created_at: iso(yearStart - 4 * 365 * DAY) });
  const created = iso(yearStart - 4 * 365 * DAY);
  const account = (id: string, email: string, role: string, unitId: string | null, personId: string | null, passwordHash: string | null): Row<'accounts'> => ({
    id, organisation_id: organisationId, email, password_hash: passwordHash, role, unit_id: unitId, person_id: personId, active: 1, created_at: created, updated_at: created,
  });

  const adminId = randomUUID();
  sink.add('accounts', account(adminId, 'admin@bench.example', 'admin', null, null, o.passwordHash));

  // Purposes and notices: `nett` changed materially this autumn, so older answers no longer count.
  const purposes = {} as Record<PurposeCode, string>;
  const notices = new Map<PurposeCode, { id: string; version: number; sha: string; at: number }[]>();
  const v2At = yearStart + 20 * DAY;
  PURPOSES.forEach((p, i) => {
    const id = randomUUID();
    purposes[p.code] = id;
    sink.add('purposes', {
      id, organisation_id: organisationId, code: p.code, name_nb: p.name, name_nn: p.name, name_en: p.name, audience: p.audience,
      guardian_rule: p.rule, first_name_question: p.firstName ? 1 : 0, per_occasion: p.perOccasion ? 1 : 0, active: 1, sort_order: i,
      created_at: created, updated_at: created,
    });
    const versions = p.code === 'nett' ? [1, 2] : [1];
    const list: { id: string; version: number; sha: string; at: number }[] = [];
    for (const version of versions) {
      const at = version === 1 ? yearStart - 4 * 365 * DAY : v2At;
      for (const lang of ['nb', 'en'] as const) {
        const what = `${p.name}: bilder av barnet (versjon ${version}, ${lang}).`;
        const sha = sha256(what);
        const noticeId = randomUUID();
        sink.add('notices', {
          id: noticeId, purpose_id: id, version, lang, material: 1, what, where_published: 'Kanalene som hører til formålet.',
          who_can_see: p.audience, retention: 'Til samtykket trekkes eller skoleåret er slutt.', withdrawal: 'Trekk samtykket i appen.',
          contact: 'personvern@bench.example', sha256: sha, created_by: adminId, created_at: iso(at),
        });
        if (lang === 'nb') list.push({ id: noticeId, version, sha, at });
      }
    }
    notices.set(p.code, list);
  });

  const channels: Seeded['channels'] = {};
  for (const c of CHANNELS) {
    const id = randomUUID();
    channels[c.slug] = { id, kind: c.kind, purpose: c.purpose };
    sink.add('channels', {
      id, organisation_id: organisationId, purpose_id: purposes[c.purpose], unit_id: null, name: c.name, slug: `bench-${c.slug}`, kind: c.kind,
      max_long_edge: 1200, active: 1, created_at: created, updated_at: created,
    });
  }
  await sink.commit();

  const seeded: Seeded = {
    organisationId, people: 0, decisions: 0, photos: 0, tags: 0, publications: 0, purposes, channels, staff: [],
    withdrawal: { childId: '', guardianEmail: '', purposeId: purposes.nett, publications: 0, external: 0, hosted: 0, kept: 0 },
  };
  let guardianSeq = 0;

  for (let u = 0; u < o.units; u++) {
    const school = u % 10 >= 7;
    const unitId = randomUUID();
    sink.add('units', { id: unitId, organisation_id: organisationId, name: `${school ? 'Skole' : 'Barnehage'} ${String(u + 1).padStart(3, '0')}`, kind: school ? 'school' : 'kindergarten', created_at: created, updated_at: created });
    const groups = Array.from({ length: GROUPS_PER_UNIT }, (_, g) => {
      const id = randomUUID();
      sink.add('groups', { id, unit_id: unitId, name: school ? `${g + 1 + 4}${'ABCDE'[g]}` : `Avdeling ${g + 1}`, created_at: created, updated_at: created });
      return id;
    });
    const leader = randomUUID();
    sink.add('accounts', account(leader, `leder${u}@bench.example`, 'leader', unitId, null, u === 0 ? o.passwordHash : null));
    const staff = Array.from({ length: 5 }, (_, k) => {
      const id = randomUUID();
      // The first staff member of each unit can sign in: the HTTP clients use them.
      sink.add('accounts', account(id, `ansatt${u}-${k}@bench.example`, 'staff', unitId, null, k === 0 ? o.passwordHash : null));
      return id;
    });

    // Families: two children and two guardians.
    const children: Child[] = [];
    for (let f = 0; f < FAMILIES_PER_UNIT; f++) {
      const last = rng.chance(0.1) ? `${rng.pick(LAST)}-${rng.pick(LAST)}` : rng.pick(LAST);
      const guardians: { id: string; role: string; responsibility: boolean; account: string; email: string }[] = [];
      const foster = rng.chance(0.03);
      for (let g = 0; g < 2; g++) {
        const id = randomUUID();
        const email = `foresatt${guardianSeq++}@bench.example`;
        const responsibility = g === 0 || !rng.chance(0.08);
        sink.add('people', {
          id, organisation_id: organisationId, kind: 'adult', first_name: rng.pick(FIRST), last_name: g === 0 || rng.chance(0.6) ? last : rng.pick(LAST),
          birth_date: null, email, phone: `+47 9${String(rng.int(0, 9999999)).padStart(7, '0')}`, external_id: null, created_at: created, updated_at: created,
        });
        const accountId = randomUUID();
        // The first guardian of unit 0 is the one who withdraws (signs in with a password).
        sink.add('accounts', account(accountId, email, 'guardian', null, id, u === 0 && f === 0 && g === 0 ? o.passwordHash : null));
        guardians.push({ id, role: foster ? 'foster_parent' : 'parent', responsibility, account: accountId, email });
      }
      for (let c = 0; c < 2; c++) {
        const id = randomUUID();
        const birth = school ? between(Date.UTC(thisYear - 16, 8, 1), Date.UTC(thisYear - 6, 7, 31)) : between(Date.UTC(thisYear - 5, 8, 1), Date.UTC(thisYear - 1, 5, 30));
        const birthDate = dateOf(birth);
        const self = school && ageOnDate(birthDate, dateOf(now)) >= SELF_CONSENT_AGE;
        sink.add('people', {
          id, organisation_id: organisationId, kind: 'child', first_name: rng.pick(FIRST), last_name: last, birth_date: birthDate, email: null, phone: null,
          external_id: `B${u}-${f}-${c}`, created_at: created, updated_at: created,
        });
        for (const g of guardians) {
          sink.add('guardian_links', { id: randomUUID(), child_id: id, guardian_id: g.id, role: g.role, responsibility: g.responsibility ? 1 : 0, created_at: created, updated_at: created });
        }
        let selfAccount = '';
        if (self) {
          selfAccount = randomUUID();
          sink.add('accounts', account(selfAccount, `elev-${u}-${f}-${c}@bench.example`, 'pupil', null, id, null));
        }
        const group = rng.int(0, GROUPS_PER_UNIT - 1);
        const start = dateOf(between(yearStart - 3 * 365 * DAY, yearStart + 14 * DAY));
        const left = !(u === 0 && f === 0 && c === 0) && rng.chance(0.01);
        if (rng.chance(0.03)) {
          // Moved between groups of the unit last winter: one stay, two memberships.
          const movedOn = Date.UTC(thisYear, 0, 1);
          sink.add('memberships', { id: randomUUID(), person_id: id, group_id: groups[(group + 1) % GROUPS_PER_UNIT]!, from_date: dateOf(movedOn - 400 * DAY), to_date: dateOf(movedOn - DAY), created_at: created });
          sink.add('memberships', { id: randomUUID(), person_id: id, group_id: groups[group]!, from_date: dateOf(movedOn), to_date: left ? dateOf(now - 20 * DAY) : null, created_at: created });
        } else {
          sink.add('memberships', { id: randomUUID(), person_id: id, group_id: groups[group]!, from_date: start, to_date: left ? dateOf(now - 20 * DAY) : null, created_at: created });
        }
        const responsible = guardians.filter((g) => g.responsibility).map((g) => ({ id: g.id, role: g.role, account: g.account }));
        const deciders = self ? [{ id, role: 'self', account: selfAccount }] : responsible;
        children.push({ id, unit: u, group, deciders, guardians: responsible, self, valid: new Set(), decisionIds: new Map(), inUnit: !left });
        seeded.people += 1;
      }
      seeded.people += 2;
      if (u === 0 && f === 0) {
        seeded.withdrawal.childId = children[0]!.id;
        seeded.withdrawal.guardianEmail = guardians[0]!.email;
      }
    }

    // Consent: 20 decisions per child, this school year's first.
    for (const child of children) {
      const forced = u === 0 && child === children[0];
      const decisions: Row<'consent_decisions'>[] = [];
      // (purpose, question, decider) answered this school year: older answers of theirs no longer count.
      const answered = new Set<string>();
      const staffAccount = rng.pick(staff);
      const decision = (purpose: PurposeCode, question: 'photo' | 'first_name', kind: 'given' | 'refused' | 'withdrawn', by: Child['deciders'][number], at: number, noticeVersion?: number, occasion: string | null = null) => {
        const list = notices.get(purpose)!;
        const notice = noticeVersion ? list.find((n) => n.version === noticeVersion)! : [...list].reverse().find((n) => n.at <= at) ?? list[0]!;
        const paper = rng.chance(0.1);
        const id = orderedId();
        if (at >= yearStart) answered.add(`${purpose}|${question}|${by.id}`);
        decisions.push({
          id, person_id: child.id, purpose_id: purposes[purpose], question, decision: kind, decided_by_person_id: by.id, decided_by_role: by.role,
          method: paper ? 'paper' : 'web', recorded_by_account_id: paper || !by.account ? staffAccount : by.account,
          evidence_note: paper ? 'Signert skjema ligger i permen på kontoret.' : null, notice_id: notice.id, notice_version: notice.version,
          notice_sha256: notice.sha, occasion, decided_at: iso(at), valid_until: kind === 'given' ? consentExpiryDate(new Date(at), SCHOOL_YEAR_END) : null,
        });
        return id;
      };
      const autumn = () => between(yearStart + 14 * DAY, Math.min(now - DAY, yearStart + 100 * DAY));
      for (const p of PURPOSES) {
        if (p.perOccasion) continue;
        for (const question of p.firstName ? (['photo', 'first_name'] as const) : (['photo'] as const)) {
          const r = forced ? 0 : rng.next();
          const ids: string[] = [];
          let valid = false;
          if (r < 0.72 || (r >= 0.82 && r < 0.86 && p.code !== 'nett')) {
            for (const d of child.deciders) ids.push(decision(p.code, question, 'given', d, Math.max(autumn(), p.code === 'nett' ? v2At + DAY : 0)));
            valid = child.deciders.length > 0;
          } else if (r < 0.78) {
            const [first, ...rest] = child.deciders;
            if (first) decision(p.code, question, 'refused', first, autumn());
            for (const d of rest) decision(p.code, question, 'given', d, autumn());
          } else if (r < 0.82) {
            for (const d of child.deciders) decision(p.code, question, 'given', d, between(yearStart + 14 * DAY, yearStart + 40 * DAY));
            if (child.deciders[0]) decision(p.code, question, 'withdrawn', child.deciders[0], between(yearStart + 45 * DAY, now - DAY));
          } else if (r < 0.86) {
            // `nett` answered on the first notice, before the material change.
            for (const d of child.deciders) decision(p.code, question, 'given', d, between(yearStart + 2 * DAY, v2At - DAY), 1);
          } else if (r < 0.93) {
            const first = child.deciders[0];
            if (first) ids.push(decision(p.code, question, 'given', first, Math.max(autumn(), p.code === 'nett' ? v2At + DAY : 0)));
            valid = first !== undefined && (p.rule === 'any' || child.deciders.length === 1);
          }
          if (question === 'photo' && valid && child.inUnit) {
            child.valid.add(p.code);
            child.decisionIds.set(p.code, ids);
          }
        }
      }
      // Earlier school years: answers that have expired since, and press consents for one occasion.
      const history = DECISIONS_PER_CHILD - decisions.length;
      for (let i = 0; i < history; i++) {
        const p = rng.pick(PURPOSES);
        const year = thisYear - rng.int(1, 3);
        const at = between(Date.UTC(year, 7, 15), Date.UTC(year + 1, 5, 20));
        // A pupil who answers for themself now had their guardians answer when younger.
        const by = rng.pick(child.self && child.guardians.length > 0 && rng.chance(0.7) ? child.guardians : child.deciders);
        const question = p.firstName && rng.chance(0.3) ? 'first_name' : 'photo';
        // A refusal does not expire: only one overtaken by this year's answer leaves the state as generated.
        const overtaken = answered.has(`${p.code}|${question}|${by.id}`) || !child.deciders.some((d) => d.id === by.id);
        const kind = overtaken && rng.chance(0.1) ? (rng.chance(0.5) ? 'refused' : 'withdrawn') : 'given';
        decision(p.code, question, kind, by, at, 1, p.perOccasion ? `Avisreportasje ${year}` : null);
      }
      for (const d of decisions) sink.add('consent_decisions', d);
      seeded.decisions += decisions.length;

      if (!forced && rng.chance(0.005)) {
        sink.add('protection_changes', { id: randomUUID(), person_id: child.id, protected: 1, changed_by_account_id: leader, changed_at: iso(yearStart + 30 * DAY) });
        for (const p of PURPOSE_CODES) if (p !== 'internt') child.valid.delete(p);
      }
      if (!forced && rng.chance(0.01)) {
        sink.add('child_views', { id: randomUUID(), person_id: child.id, purpose_id: purposes.nett, objects: 1, note: null, recorded_by_account_id: staffAccount, recorded_at: iso(yearStart + 50 * DAY) });
        child.valid.delete('nett');
      }
    }

    // Photos, tags and publications.
    const byGroup = Array.from({ length: GROUPS_PER_UNIT }, (_, g) => children.filter((c) => c.group === g));
    const withdrawing = u === 0 ? children[0]! : null;
    if (withdrawing && !(withdrawing.valid.has('nett') && withdrawing.valid.has('internt'))) throw new Error('The withdrawing child must have valid consent');
    const photos30: string[] = [];
    for (let n = 0; n < PHOTOS_PER_UNIT; n++) {
      const special = withdrawing && n < WITHDRAW_EXTERNAL + WITHDRAW_HOSTED + WITHDRAW_KEPT ? n : -1;
      const group = special >= 0 ? withdrawing!.group : rng.int(0, GROUPS_PER_UNIT - 1);
      let channel: ChannelDef | null = null;
      if (special >= 0) {
        channel = CHANNELS.find((c) => c.slug === (special < 700 ? 'facebook' : special < WITHDRAW_EXTERNAL ? 'instagram' : special < WITHDRAW_EXTERNAL + WITHDRAW_HOSTED ? 'nettside' : 'intranett'))!;
      } else if (rng.chance(PUBLISHED_SHARE)) {
        let x = rng.next();
        channel = CHANNELS.find((c) => (x -= c.share) < 0) ?? CHANNELS[0]!;
      }
      const photoId = randomUUID();
      const uploadedAt = between(now - 300 * DAY, now - 2 * DAY);
      const uploader = rng.pick(staff);
      const portrait = !channel && rng.chance(0.03);
      sink.add('photos', {
        id: photoId, organisation_id: organisationId, unit_id: unitId, group_id: groups[group]!, uploaded_by: uploader, uploaded_at: iso(uploadedAt),
        captured_at: iso(uploadedAt - 3600_000), width: 1600, height: 1067, display_blob: hex(rng, 64), display_bytes: rng.int(150_000, 600_000),
        thumb_blob: hex(rng, 64), thumb_width: 320, thumb_height: 213, kind: portrait ? 'portrait' : 'activity', no_people: 0, updated_at: iso(uploadedAt),
      });
      seeded.photos++;

      // Who is in it: a published photo shows only children with valid consent for its purpose.
      const k = rng.int(1, MAX_TAGS);
      const pool = byGroup[group]!.filter((c) => c !== withdrawing && (!channel || (c.valid.has(channel.purpose) && (special < 0 || c.valid.has('nett')))));
      const chosen = sample(rng, pool, special >= 0 ? k - 1 : k);
      if (special >= 0) chosen.unshift(withdrawing!);
      if (!channel && rng.chance(0.03)) {
        const other = rng.pick(children);
        if (other !== withdrawing && !chosen.includes(other)) chosen.push(other);
      }
      const tagged: Child[] = [];
      for (const c of chosen) {
        const recognisable = channel ? 1 : rng.chance(0.9) ? 1 : 0;
        sink.add('photo_tags', { id: orderedId(), photo_id: photoId, person_id: c.id, recognisable, created_by: uploader, created_at: iso(uploadedAt + 600_000) });
        if (recognisable) tagged.push(c);
      }
      seeded.tags += chosen.length;
      if (!channel && rng.chance(0.01)) {
        sink.add('photo_tags', { id: orderedId(), photo_id: photoId, person_id: null, recognisable: 1, created_by: uploader, created_at: iso(uploadedAt + 600_000) });
        seeded.tags++;
      }
      if (chosen.length === MAX_TAGS && !channel && photos30.length < 400) photos30.push(photoId);
      if (!channel) continue;

      // A publication that passed the gate when it was made (and, live, still does).
      const status = special >= 0 ? 'published' : (['published', 'published', 'published', 'published', 'published', 'published', 'published', 'published', 'published', 'unpublished', 'rejected', 'pending_review'] as const)[rng.int(0, 11)]!;
      const purpose = PURPOSES.find((p) => p.code === channel.purpose)!;
      const reviewed = purpose.audience === 'public' || purpose.audience === 'press';
      const requestedAt = uploadedAt + rng.int(1, 48) * 3600_000;
      const decisionIds = [...new Set(tagged.flatMap((c) => c.decisionIds.get(channel.purpose) ?? []))].sort();
      const gate = { allowed: true, needsReview: false, reasons: [], decisionIds };
      const publicationId = randomUUID();
      const live = status === 'published' || status === 'unpublished';
      const channelId = channels[channel.slug]!.id;
      sink.add('publications', {
        id: publicationId, organisation_id: organisationId, unit_id: unitId, photo_id: photoId, channel_id: channelId, status,
        caption: rng.pick(CAPTIONS), alt_text: 'Barn som leker sammen ute.', title: null, occasion: null, requested_by: uploader, requested_at: iso(requestedAt),
        reviewed_by: reviewed && status !== 'pending_review' ? leader : null, reviewed_at: reviewed && status !== 'pending_review' ? iso(requestedAt + 3600_000) : null,
        harm_assessed: reviewed && live ? 1 : 0, review_note: null, published_at: live ? iso(requestedAt + 3600_000) : null,
        unpublished_at: status === 'unpublished' ? iso(requestedAt + 20 * DAY) : null, unpublish_reason: status === 'unpublished' ? 'manual' : null,
        external_url: channel.kind === 'external' && live ? `https://example.com/${channel.slug}/${hex(rng, 12)}` : null,
        derivative_blob: live ? hex(rng, 64) : null, derivative_width: live ? 1200 : null, derivative_height: live ? 800 : null,
        gate: JSON.stringify(gate), decision_ids: JSON.stringify(decisionIds), updated_at: iso(requestedAt + 3600_000),
      });
      seeded.publications++;
      if (status === 'unpublished' && channel.kind === 'external') {
        const at = requestedAt + 20 * DAY;
        sink.add('takedowns', {
          id: randomUUID(), publication_id: publicationId, unit_id: unitId, reason: 'manual', person_id: null, requested_by: uploader, status: 'done',
          created_at: iso(at), due_at: iso(at + DAY), done_at: iso(at + 3 * 3600_000), done_by: uploader, evidence: 'Slettet fra siden.',
        });
      }
      if (special >= 0) {
        seeded.withdrawal.publications++;
        if (channel.purpose === 'nett') {
          if (channel.kind === 'external') seeded.withdrawal.external++;
          else seeded.withdrawal.hosted++;
        } else seeded.withdrawal.kept++;
      }
    }
    seeded.staff.push({ email: `ansatt${u}-0@bench.example`, unitId, photos30 });
    await sink.commit();
    if ((u + 1) % 10 === 0 || u + 1 === o.units) say(`  seeded ${u + 1}/${o.units} units (${seeded.people} people, ${seeded.decisions} decisions, ${seeded.photos} photos, ${seeded.tags} tags)`);
  }
  return seeded;
}


function sample<T>(rng: Rng, pool: readonly T[], k: number): T[] {
  const copy = [...pool];
  const n = Math.min(k, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

function ageOnDate(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
