import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { importRoster } from '../../modules/roster/import.service.js';
import {
  addGuardian,
  addMembership,
  createPerson,
  editGuardianLink,
  editPerson,
  endMembership,
  getPerson,
  listGuardians,
  listVisiblePeople,
} from '../../modules/roster/person.service.js';
import { createGroup, createUnit, editGroup, editUnit, listUnitGroups, listVisibleUnits } from '../../modules/roster/unit.service.js';
import { ValidationError } from '../../errors.js';
import { actorOf, email, isoDate, name, param, parse, text } from '../validate.js';

const unitKind = z.enum(['kindergarten', 'school']);
const guardianRole = z.enum(['parent', 'foster_parent', 'child_welfare', 'appointed_guardian']);
const optionalText = text(100).nullable().optional();

export const newPerson = z
  .object({
    kind: z.enum(['child', 'adult']),
    firstName: name,
    lastName: name,
    birthDate: isoDate.nullable().default(null),
    email: email.nullable().optional(),
    phone: optionalText,
    externalId: optionalText,
    groupId: z.string().min(1).optional(),
    from: isoDate.optional(),
  })
  .strict();

export const personChanges = z
  .object({ firstName: name, lastName: name, birthDate: isoDate.nullable(), email: email.nullable(), phone: optionalText })
  .partial()
  .strict();

export const newGuardian = z
  .object({ firstName: name, lastName: name, email, phone: optionalText, role: guardianRole, responsibility: z.boolean() })
  .strict();

export const peopleQuery = z.object({
  q: text(100).optional(),
  groupId: z.string().max(64).optional(),
  unitId: z.string().max(64).optional(),
  kind: z.enum(['child', 'adult']).optional(),
});

export const newUnitBody = z.object({ name, kind: unitKind }).strict();
export const unitChanges = z.object({ name, kind: unitKind }).partial().strict();
export const groupBody = z.object({ name }).strict();
export const membershipBody = z.object({ groupId: z.string().min(1), from: isoDate, to: isoDate.nullable().optional() }).strict();
export const membershipEndBody = z.object({ to: isoDate.nullable() }).strict();
export const guardianLinkChanges = z.object({ role: guardianRole, responsibility: z.boolean() }).partial().strict();
export const importQuery = z.object({ dryRun: z.enum(['true', 'false', '1', '0']).optional() });
/** The roster file as JSON, for clients that cannot send text/csv. */
export const importJsonBody = z.object({ csv: z.string() });

export function rosterRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/units', async (req, res) => {
    res.json({ units: await listVisibleUnits(ctx, actorOf(req)) });
  });
  r.post('/units', async (req, res) => {
    const body = parse(newUnitBody, req.body);
    res.status(201).json({ unit: await createUnit(ctx, actorOf(req), body) });
  });
  r.patch('/units/:id', async (req, res) => {
    const body = parse(unitChanges, req.body);
    res.json({ unit: await editUnit(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.get('/units/:id/groups', async (req, res) => {
    res.json({ groups: await listUnitGroups(ctx, actorOf(req), param(req, 'id')) });
  });
  r.post('/units/:id/groups', async (req, res) => {
    const body = parse(groupBody, req.body);
    res.status(201).json({ group: await createGroup(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.patch('/groups/:id', async (req, res) => {
    const body = parse(groupBody, req.body);
    res.json({ group: await editGroup(ctx, actorOf(req), param(req, 'id'), body) });
  });

  r.get('/people', async (req, res) => {
    const query = parse(peopleQuery, req.query);
    res.json({ people: await listVisiblePeople(ctx, actorOf(req), query) });
  });
  r.post('/people', async (req, res) => {
    const body = parse(newPerson, req.body);
    res.status(201).json({ person: await createPerson(ctx, actorOf(req), body) });
  });
  r.get('/people/:id', async (req, res) => {
    res.json({ person: await getPerson(ctx, actorOf(req), param(req, 'id')) });
  });
  r.patch('/people/:id', async (req, res) => {
    const body = parse(personChanges, req.body);
    res.json({ person: await editPerson(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.post('/people/:id/memberships', async (req, res) => {
    const body = parse(membershipBody, req.body);
    res.status(201).json({ person: await addMembership(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.patch('/memberships/:id', async (req, res) => {
    const body = parse(membershipEndBody, req.body);
    res.json({ person: await endMembership(ctx, actorOf(req), param(req, 'id'), body.to) });
  });
  r.get('/people/:id/guardians', async (req, res) => {
    res.json({ guardians: await listGuardians(ctx, actorOf(req), param(req, 'id')) });
  });
  r.post('/people/:id/guardians', async (req, res) => {
    const body = parse(newGuardian, req.body);
    res.status(201).json({ guardian: await addGuardian(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.patch('/guardian-links/:id', async (req, res) => {
    const body = parse(guardianLinkChanges, req.body);
    res.json({ guardian: await editGuardianLink(ctx, actorOf(req), param(req, 'id'), body) });
  });

  r.post('/import/roster', express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '10mb' }), async (req, res) => {
    const query = parse(importQuery, req.query);
    // An empty body is no file at all (as for JSON), not an empty roster.
    const csv = typeof req.body === 'string' ? req.body || null : req.is('application/json') ? parse(importJsonBody, req.body).csv : null;
    if (csv === null) throw new ValidationError('Send the roster as a CSV body (Content-Type: text/csv) or as JSON { "csv": "..." }.');
    if (csv.includes('\u0000')) throw new ValidationError('The file contains a NUL character (U+0000).');
    const dryRun = query.dryRun === 'true' || query.dryRun === '1';
    res.json(await importRoster(ctx, actorOf(req), csv, { dryRun }));
  });

  return r;
}
