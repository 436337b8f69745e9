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
import { actorOf, email, isoDate, name, param, parse } from '../validate.js';

const unitKind = z.enum(['kindergarten', 'school']);
const guardianRole = z.enum(['parent', 'foster_parent', 'child_welfare', 'appointed_guardian']);
const optionalText = z.string().trim().max(100).nullable().optional();

const newPerson = z
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

const personChanges = z
  .object({ firstName: name, lastName: name, birthDate: isoDate.nullable(), email: email.nullable(), phone: optionalText })
  .partial()
  .strict();

const newGuardian = z
  .object({ firstName: name, lastName: name, email, phone: optionalText, role: guardianRole, responsibility: z.boolean() })
  .strict();

const peopleQuery = z.object({
  q: z.string().trim().max(100).optional(),
  groupId: z.string().max(64).optional(),
  unitId: z.string().max(64).optional(),
  kind: z.enum(['child', 'adult']).optional(),
});

export function rosterRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/units', async (req, res) => {
    res.json({ units: await listVisibleUnits(ctx, actorOf(req)) });
  });
  r.post('/units', async (req, res) => {
    const body = parse(z.object({ name, kind: unitKind }).strict(), req.body);
    res.status(201).json({ unit: await createUnit(ctx, actorOf(req), body) });
  });
  r.patch('/units/:id', async (req, res) => {
    const body = parse(z.object({ name, kind: unitKind }).partial().strict(), req.body);
    res.json({ unit: await editUnit(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.get('/units/:id/groups', async (req, res) => {
    res.json({ groups: await listUnitGroups(ctx, actorOf(req), param(req, 'id')) });
  });
  r.post('/units/:id/groups', async (req, res) => {
    const body = parse(z.object({ name }).strict(), req.body);
    res.status(201).json({ group: await createGroup(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.patch('/groups/:id', async (req, res) => {
    const body = parse(z.object({ name }).strict(), req.body);
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
    const body = parse(z.object({ groupId: z.string().min(1), from: isoDate, to: isoDate.nullable().optional() }).strict(), req.body);
    res.status(201).json({ person: await addMembership(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.patch('/memberships/:id', async (req, res) => {
    const body = parse(z.object({ to: isoDate.nullable() }).strict(), req.body);
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
    const body = parse(z.object({ role: guardianRole, responsibility: z.boolean() }).partial().strict(), req.body);
    res.json({ guardian: await editGuardianLink(ctx, actorOf(req), param(req, 'id'), body) });
  });

  r.post('/import/roster', express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '10mb' }), async (req, res) => {
    const query = parse(z.object({ dryRun: z.enum(['true', 'false', '1', '0']).optional() }), req.query);
    const csv = typeof req.body === 'string' ? req.body : typeof req.body?.csv === 'string' ? (req.body.csv as string) : null;
    if (csv === null) throw new ValidationError('Send the roster as a CSV body (Content-Type: text/csv) or as JSON { "csv": "..." }.');
    const dryRun = query.dryRun === 'true' || query.dryRun === '1';
    res.json(await importRoster(ctx, actorOf(req), csv, { dryRun }));
  });

  return r;
}
