import { randomBytes } from 'node:crypto';

/** A person of the development provider: who signs in, with which roles and unit (R-U6). */
export interface DevPerson {
  username: string;
  password: string;
  name: string;
  roles: string[];
  unit?: string;
}

/** A system of the development provider: an integration using the client-credentials grant (R-U4). */
export interface DevSystem {
  clientId: string;
  clientSecret: string;
  role: string;
}

// One person per role the console has pages for, one per unit for the unit role, and one person
// holding two roles so that the console's role switcher can be tried.
const PEOPLE: Omit<DevPerson, 'password'>[] = [
  { username: 'cso', name: 'Citra Customer Service', roles: ['cso'] },
  { username: 'mobile', name: 'Mobile Backend (orang uji)', roles: ['mobile'] },
  { username: 'unit542', name: 'Umar Unit 542', roles: ['unit'], unit: '542' },
  { username: 'unit543', name: 'Uli Unit 543', roles: ['unit'], unit: '543' },
  { username: 'unit544', name: 'Ucok Unit 544', roles: ['unit'], unit: '544' },
  { username: 'backoffice', name: 'Bima Back Office', roles: ['backoffice'] },
  { username: 'admin', name: 'Ayu Admin', roles: ['admin'] },
  { username: 'supervisor', name: 'Sari Supervisor', roles: ['unit', 'backoffice'], unit: '542' },
];

const SYSTEMS: Omit<DevSystem, 'clientSecret'>[] = [
  { clientId: 'apkt-mobile', role: 'mobile' },
  { clientId: 'apkt-listriqu', role: 'listriqu' },
  { clientId: 'apkt-itsm', role: 'itsm' },
];

export const DEV_UNITS = ['542', '543', '544'];

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The demo people and systems, with fresh passwords and secrets (kept under .data by the caller). */
export function demoDirectory(): { people: DevPerson[]; systems: DevSystem[] } {
  return {
    people: PEOPLE.map((person) => ({ ...person, password: secret(9) })),
    systems: SYSTEMS.map((system) => ({ ...system, clientSecret: secret(24) })),
  };
}

/** The claims a person's tokens carry: one role as a string, several as an array (API.md). */
export function personClaims(person: DevPerson): Record<string, unknown> {
  return {
    name: person.name,
    preferred_username: person.username,
    role: person.roles.length === 1 ? person.roles[0] : person.roles,
    ...(person.unit ? { unit: person.unit } : {}),
  };
}
