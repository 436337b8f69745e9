import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { osloDate } from '../domain/dates.js';
import { audit } from '../modules/audit/audit.service.js';
import { insertAccount } from '../modules/auth/account.repository.js';
import { hashPassword } from '../modules/auth/password.js';
import { insertGuardianLink } from '../modules/roster/guardian.repository.js';
import { insertMembership, insertPerson } from '../modules/roster/person.repository.js';
import { countOrganisations, insertGroup, insertOrganisation, insertUnit } from '../modules/roster/unit.repository.js';
import { FJELLET_PUPILS, SOLSIKKEN_CHILDREN, type DemoChild } from './demo-roster.js';
import { seedDemoConsent } from './seed-consent.js';

export const DEMO_PASSWORD = 'demo1234';

export const DEMO_SIGN_INS = [
  { email: 'admin@demo.no', role: 'admin', what: 'Demo kommune' },
  { email: 'leder@demo.no', role: 'leader', what: 'Solsikken barnehage' },
  { email: 'ansatt@demo.no', role: 'staff', what: 'Solsikken barnehage' },
  { email: 'forelder@demo.no', role: 'guardian', what: 'Emma and Jakob Nordmann' },
  { email: 'elev@demo.no', role: 'pupil', what: 'Mia Lie, 10B at Fjellet skole' },
] as const;

const ascii = (s: string) =>
  s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[^a-z0-9.]/g, '');

function birthDate(today: string, age: number, daysPast: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - age, m - 1, d) - daysPast * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** Seeds the demo organisation into an empty database; returns false when there was already data. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  if ((await countOrganisations(ctx.db)) > 0) return false;
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const today = osloDate(now);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await ctx.db.transaction().execute(async (trx) => {
    const orgId = randomUUID();
    await insertOrganisation(trx, { id: orgId, name: 'Demo kommune', now: nowIso });
    const solsikken = randomUUID();
    const fjellet = randomUUID();
    await insertUnit(trx, { id: solsikken, organisationId: orgId, name: 'Solsikken barnehage', kind: 'kindergarten', now: nowIso });
    await insertUnit(trx, { id: fjellet, organisationId: orgId, name: 'Fjellet skole', kind: 'school', now: nowIso });
    const groups = new Map<string, string>();
    for (const [unitId, name] of [[solsikken, 'Blåklokka'], [solsikken, 'Prestekragen'], [fjellet, '10B']] as const) {
      const id = randomUUID();
      groups.set(name, id);
      await insertGroup(trx, { id, unitId, name, now: nowIso });
    }

    const guardianIds = new Map<string, string>();
    const accountOfPerson = new Map<string, string>();
    const children: { id: string; demo: DemoChild; guardianIds: string[] }[] = [];
    const personOf = new Map<string, string>();
    const schoolYearStart = `${Number(today.slice(0, 4)) - (today.slice(5) < '08-15' ? 1 : 0)}-08-15`;

    const addChild = async (c: DemoChild) => {
      const id = randomUUID();
      await insertPerson(trx, {
        id,
        organisationId: orgId,
        kind: 'child',
        firstName: c.firstName,
        lastName: c.lastName,
        birthDate: birthDate(today, c.age, c.daysPast),
        email: null,
        phone: null,
        externalId: `demo-${ascii(c.firstName)}-${ascii(c.lastName)}`,
        now: nowIso,
      });
      await insertMembership(trx, { id: randomUUID(), personId: id, groupId: groups.get(c.group)!, from: schoolYearStart, to: null, now: nowIso });
      personOf.set(`${c.firstName} ${c.lastName}`, id);
      const linked: string[] = [];
      for (const g of c.guardians) {
        let guardianId = guardianIds.get(g.key);
        if (!guardianId) {
          guardianId = randomUUID();
          guardianIds.set(g.key, guardianId);
          const email = g.key === 'Kari.Nordmann' ? 'forelder@demo.no' : g.key === 'barnevern' ? 'barnevern@demo.no' : `${ascii(g.key)}@example.no`;
          await insertPerson(trx, {
            id: guardianId,
            organisationId: orgId,
            kind: 'adult',
            firstName: g.firstName,
            lastName: g.lastName,
            birthDate: null,
            email,
            phone: null,
            externalId: null,
            now: nowIso,
          });
          const accountId = randomUUID();
          accountOfPerson.set(guardianId, accountId);
          await insertAccount(trx, {
            id: accountId,
            organisationId: orgId,
            email,
            passwordHash: email === 'forelder@demo.no' ? passwordHash : null,
            role: 'guardian',
            unitId: null,
            personId: guardianId,
            now: nowIso,
          });
        }
        await insertGuardianLink(trx, { id: randomUUID(), childId: id, guardianId, role: g.role, responsibility: g.responsibility, now: nowIso });
        if (g.responsibility) linked.push(guardianId);
      }
      children.push({ id, demo: c, guardianIds: linked });
    };
    for (const c of SOLSIKKEN_CHILDREN) await addChild(c);
    for (const c of FJELLET_PUPILS) await addChild(c);

    const staff = [
      { email: 'admin@demo.no', role: 'admin', unitId: null, personId: null },
      { email: 'leder@demo.no', role: 'leader', unitId: solsikken, personId: null },
      { email: 'ansatt@demo.no', role: 'staff', unitId: solsikken, personId: null },
      { email: 'elev@demo.no', role: 'pupil', unitId: null, personId: personOf.get('Mia Lie')! },
    ] as const;
    const staffAccounts = new Map<string, string>();
    for (const a of staff) {
      const accountId = randomUUID();
      staffAccounts.set(a.email, accountId);
      await insertAccount(trx, { id: accountId, organisationId: orgId, email: a.email, passwordHash, role: a.role, unitId: a.unitId, personId: a.personId, now: nowIso });
    }
    await seedDemoConsent(ctx, trx, {
      organisationId: orgId,
      units: { 'Solsikken barnehage': solsikken, 'Fjellet skole': fjellet },
      children: children.filter((c) => c.demo.group !== '10B'),
      accountOfPerson,
      leaderAccountId: staffAccounts.get('leder@demo.no')!,
      adminAccountId: staffAccounts.get('admin@demo.no')!,
      acknowledgedAccountIds: [staffAccounts.get('leder@demo.no')!, staffAccounts.get('ansatt@demo.no')!],
      now,
    });
    await audit(ctx, trx, null, {
      action: 'demo.seeded',
      objectType: 'organisation',
      objectId: orgId,
      organisationId: orgId,
      payload: { units: 2, children: SOLSIKKEN_CHILDREN.length + FJELLET_PUPILS.length },
    });
  });
  return true;
}
