import type { Express } from 'express';
import { expect } from 'vitest';
import { as, tokenFor } from './http.js';

export interface DemoPerson {
  id: string;
  firstName: string;
  lastName: string;
  memberships: { id: string; groupId: string; unitId: string }[];
}

/** Looks up demo people and units by name through the admin's view of the API. */
export async function demoDirectory(app: Express) {
  const admin = as(app, await tokenFor(app, 'admin@demo.no'));
  const people = (await admin.get('/api/people?kind=child')).body.people as DemoPerson[];
  const units = (await admin.get('/api/units')).body.units as { id: string; name: string }[];
  const unit = (name: string) => {
    const u = units.find((x) => x.name === name);
    expect(u, `demo unit ${name}`).toBeDefined();
    return u!;
  };
  const child = (fullName: string) => {
    const p = people.find((x) => `${x.firstName} ${x.lastName}` === fullName);
    expect(p, `demo child ${fullName}`).toBeDefined();
    return p!;
  };
  const groups = async (unitName: string) =>
    (await admin.get(`/api/units/${unit(unitName).id}/groups`)).body.groups as { id: string; name: string }[];
  return { admin, people, unit, child, groups };
}
