import type { GuardianRole } from '../../db/schema.js';

// Invented people with common Norwegian names. Ages are relative to the day the demo is seeded,
// so the children stay kindergarten-aged and the pupils 15–16 whenever it runs.

export interface DemoGuardian {
  key: string;
  firstName: string;
  lastName: string;
  role: GuardianRole;
  responsibility: boolean;
}

export interface DemoChild {
  firstName: string;
  lastName: string;
  /** Age in whole years on the seeding day, and days past that birthday. */
  age: number;
  daysPast: number;
  group: string;
  guardians: DemoGuardian[];
}

const parents = (lastName: string, mother: string, father: string | null, fatherLast = lastName): DemoGuardian[] => [
  { key: `${mother}.${lastName}`, firstName: mother, lastName, role: 'parent', responsibility: true },
  ...(father ? [{ key: `${father}.${fatherLast}`, firstName: father, lastName: fatherLast, role: 'parent' as const, responsibility: true }] : []),
];

export const FORELDER = { key: 'Kari.Nordmann', firstName: 'Kari', lastName: 'Nordmann', role: 'parent', responsibility: true } as const;

export const SOLSIKKEN_CHILDREN: DemoChild[] = [
  // forelder@demo.no (Kari Nordmann) has two children here; Emma also has her father.
  { firstName: 'Emma', lastName: 'Nordmann', age: 4, daysPast: 40, group: 'Blåklokka', guardians: [FORELDER, { key: 'Ola.Nordmann', firstName: 'Ola', lastName: 'Nordmann', role: 'parent', responsibility: true }] },
  { firstName: 'Jakob', lastName: 'Nordmann', age: 2, daysPast: 200, group: 'Prestekragen', guardians: [FORELDER] },
  { firstName: 'Nora', lastName: 'Hansen', age: 5, daysPast: 12, group: 'Blåklokka', guardians: parents('Hansen', 'Ingrid', 'Lars') },
  { firstName: 'Lukas', lastName: 'Johansen', age: 4, daysPast: 300, group: 'Blåklokka', guardians: parents('Johansen', 'Silje', 'Thomas') },
  { firstName: 'Sofie', lastName: 'Olsen', age: 5, daysPast: 150, group: 'Blåklokka', guardians: parents('Olsen', 'Marte', 'Anders') },
  { firstName: 'Filip', lastName: 'Larsen', age: 4, daysPast: 90, group: 'Blåklokka', guardians: parents('Larsen', 'Hanne', null) },
  { firstName: 'Ella', lastName: 'Andersen', age: 3, daysPast: 60, group: 'Blåklokka', guardians: parents('Andersen', 'Camilla', 'Martin') },
  { firstName: 'Oskar', lastName: 'Pedersen', age: 5, daysPast: 250, group: 'Blåklokka', guardians: parents('Pedersen', 'Linn', 'Kristian') },
  { firstName: 'Maja', lastName: 'Nilsen', age: 4, daysPast: 10, group: 'Blåklokka', guardians: parents('Nilsen', 'Ida', 'Even', 'Berg') },
  { firstName: 'William', lastName: 'Kristiansen', age: 5, daysPast: 330, group: 'Blåklokka', guardians: parents('Kristiansen', 'Kristin', 'Jonas') },
  { firstName: 'Olivia', lastName: 'Jensen', age: 3, daysPast: 180, group: 'Blåklokka', guardians: parents('Jensen', 'Tone', null) },
  { firstName: 'Aksel', lastName: 'Karlsen', age: 4, daysPast: 220, group: 'Blåklokka', guardians: parents('Karlsen', 'Marianne', 'Espen') },
  { firstName: 'Frida', lastName: 'Johnsen', age: 5, daysPast: 5, group: 'Blåklokka', guardians: parents('Johnsen', 'Heidi', 'Stian') },
  { firstName: 'Henrik', lastName: 'Pettersen', age: 3, daysPast: 100, group: 'Blåklokka', guardians: parents('Pettersen', 'Ragnhild', 'Øyvind') },
  { firstName: 'Ingrid', lastName: 'Eriksen', age: 4, daysPast: 140, group: 'Blåklokka', guardians: parents('Eriksen', 'Sunniva', 'Håkon') },
  // In foster care: the child welfare service has parental responsibility; the foster parents do not.
  {
    firstName: 'Noah',
    lastName: 'Berg',
    age: 4,
    daysPast: 75,
    group: 'Blåklokka',
    guardians: [
      { key: 'barnevern', firstName: 'Barneverntjenesten i', lastName: 'Demo kommune', role: 'child_welfare', responsibility: true },
      { key: 'Gunn.Haugen', firstName: 'Gunn', lastName: 'Haugen', role: 'foster_parent', responsibility: false },
    ],
  },
  { firstName: 'Ada', lastName: 'Haugen', age: 2, daysPast: 30, group: 'Prestekragen', guardians: parents('Haugen', 'Maren', 'Sindre') },
  { firstName: 'Emil', lastName: 'Hagen', age: 1, daysPast: 200, group: 'Prestekragen', guardians: parents('Hagen', 'Vilde', 'Magnus') },
  { firstName: 'Sara', lastName: 'Johannessen', age: 2, daysPast: 120, group: 'Prestekragen', guardians: parents('Johannessen', 'Eline', 'Sander') },
  { firstName: 'Isak', lastName: 'Andreassen', age: 2, daysPast: 310, group: 'Prestekragen', guardians: parents('Andreassen', 'Thea', null) },
  { firstName: 'Leah', lastName: 'Jacobsen', age: 1, daysPast: 80, group: 'Prestekragen', guardians: parents('Jacobsen', 'Julie', 'Fredrik') },
  { firstName: 'Ludvig', lastName: 'Dahl', age: 2, daysPast: 15, group: 'Prestekragen', guardians: parents('Dahl', 'Solveig', 'Eirik') },
  { firstName: 'Alma', lastName: 'Jørgensen', age: 1, daysPast: 260, group: 'Prestekragen', guardians: parents('Jørgensen', 'Astrid', 'Per') },
  { firstName: 'Theodor', lastName: 'Halvorsen', age: 2, daysPast: 170, group: 'Prestekragen', guardians: parents('Halvorsen', 'Mari', 'Erlend', 'Moen') },
  { firstName: 'Selma', lastName: 'Henriksen', age: 2, daysPast: 45, group: 'Prestekragen', guardians: parents('Henriksen', 'Kaja', 'Torbjørn') },
  { firstName: 'Johannes', lastName: 'Lund', age: 1, daysPast: 130, group: 'Prestekragen', guardians: parents('Lund', 'Siri', null) },
  { firstName: 'Astrid', lastName: 'Sørensen', age: 2, daysPast: 240, group: 'Prestekragen', guardians: parents('Sørensen', 'Hilde', 'Bjørn') },
  { firstName: 'Ask', lastName: 'Strand', age: 1, daysPast: 20, group: 'Prestekragen', guardians: parents('Strand', 'Guro', 'Vegard') },
  { firstName: 'Tiril', lastName: 'Moen', age: 2, daysPast: 290, group: 'Prestekragen', guardians: parents('Moen', 'Karoline', 'Jørgen') },
  { firstName: 'Mathias', lastName: 'Solberg', age: 1, daysPast: 160, group: 'Prestekragen', guardians: parents('Solberg', 'Lene', 'Ole') },
];

/** The pupils of 10B at Fjellet skole; Mia Lie is elev@demo.no and turned 15 this autumn. */
export const FJELLET_PUPILS: DemoChild[] = [
  { firstName: 'Mia', lastName: 'Lie', age: 15, daysPast: 25, group: '10B', guardians: parents('Lie', 'Anne', 'Geir') },
  { firstName: 'Elias', lastName: 'Bakken', age: 15, daysPast: 200, group: '10B', guardians: parents('Bakken', 'Trine', 'Rune') },
  { firstName: 'Hedda', lastName: 'Kristoffersen', age: 16, daysPast: 30, group: '10B', guardians: parents('Kristoffersen', 'Monica', 'Terje') },
  { firstName: 'Sebastian', lastName: 'Ruud', age: 15, daysPast: 320, group: '10B', guardians: parents('Ruud', 'Elisabeth', null) },
  { firstName: 'Vilde', lastName: 'Martinsen', age: 16, daysPast: 90, group: '10B', guardians: parents('Martinsen', 'Cecilie', 'Arne') },
  { firstName: 'Tobias', lastName: 'Paulsen', age: 15, daysPast: 110, group: '10B', guardians: parents('Paulsen', 'Randi', 'Knut') },
  { firstName: 'Julie', lastName: 'Nygård', age: 16, daysPast: 150, group: '10B', guardians: parents('Nygård', 'Gro', 'Svein') },
  { firstName: 'Magnus', lastName: 'Bakke', age: 15, daysPast: 60, group: '10B', guardians: parents('Bakke', 'Lise', 'Tor') },
];
