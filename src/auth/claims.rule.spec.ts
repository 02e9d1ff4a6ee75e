import { callerFromClaims, callerFromHs256, CallerRefused, claimAt } from './claims.rule';
import { actingRole } from './roles';

const keycloak = { roles: 'realm_access.roles', unit: 'unit' };
const entra = { roles: 'roles', unit: 'unit' };
const flat = { roles: 'role', unit: 'unit' };

const outcome = (run: () => unknown): unknown => {
  try {
    return run();
  } catch (error) {
    return error instanceof CallerRefused ? error.status : error;
  }
};

describe('R-U3 Roles and unit from claims', () => {
  it.each([
    ['a dotted path', { realm_access: { roles: ['offline_access', 'unit'] } }, 'realm_access.roles', ['offline_access', 'unit']],
    ['a whole name holding dots', { 'https://pln.co.id/roles': ['cso'] }, 'https://pln.co.id/roles', ['cso']],
    ['a missing step', { realm_access: null }, 'realm_access.roles', undefined],
    ['an array on the way', { realm_access: [{ roles: ['cso'] }] }, 'realm_access.roles', undefined],
    ['an inherited name', {}, 'constructor', undefined],
  ])('claimAt reads %s', (_, claims, path, expected) => {
    expect(claimAt(claims as Record<string, unknown>, path)).toEqual(expected);
  });

  it.each([
    ['Keycloak realm roles, unknown names ignored', keycloak, { sub: 'u1', realm_access: { roles: ['offline_access', 'uma_authorization', 'backoffice'] } }, { sub: 'u1', role: 'backoffice', roles: ['backoffice'] }],
    ['Keycloak, a unit attribute and a name', keycloak, { sub: 'u2', name: 'Sari Wulandari', unit: '542', realm_access: { roles: ['unit'] } }, { sub: 'u2', role: 'unit', roles: ['unit'], unit: '542', name: 'Sari Wulandari' }],
    ['Entra ID app roles, several (kept in the token order; it acts as the widest)', entra, { sub: 'u3', roles: ['backoffice', 'cso', 'cso'], preferred_username: 'budi@pln.co.id' }, { sub: 'u3', role: 'cso', roles: ['backoffice', 'cso'], name: 'budi@pln.co.id' }],
    ['a single string', flat, { sub: 'svc', role: 'listriqu' }, { sub: 'svc', role: 'listriqu', roles: ['listriqu'] }],
    ['a unit role without a unit is ignored', flat, { sub: 'u4', role: ['unit', 'cso'] }, { sub: 'u4', role: 'cso', roles: ['cso'] }],
    ['a unit that is no unit code is ignored', flat, { sub: 'u5', role: ['unit', 'cso'], unit: 'Jakarta' }, { sub: 'u5', role: 'cso', roles: ['cso'] }],
    ['no role of ours → 403', keycloak, { sub: 'u6', realm_access: { roles: ['offline_access'] } }, 403],
    ['no roles claim → 403', entra, { sub: 'u7' }, 403],
    ['only a unit role without a unit → 403', flat, { sub: 'u8', role: 'unit' }, 403],
    ['no sub → 401', flat, { role: 'cso' }, 401],
    // API.md Conventions: no string holds a C0 control but tab, line feed and carriage return; such a claim makes the token malformed
    ['a NUL in the name → 401', flat, { sub: 'u9', role: 'cso', name: 'Bad\u0000Name' }, 401],
    ['a control character in preferred_username → 401', entra, { sub: 'u9', roles: ['cso'], preferred_username: 'bad\u0001' }, 401],
    ['a NUL in sub → 401', flat, { sub: 'u\u00009', role: 'cso' }, 401],
    ['tab, line feed and carriage return are text', flat, { sub: 'u10', role: 'cso', name: 'Sari\tW\r\n' }, { sub: 'u10', role: 'cso', roles: ['cso'], name: 'Sari\tW\r\n' }],
  ])('%s', (_, paths, claims, expected) => {
    expect(outcome(() => callerFromClaims(claims as Record<string, unknown>, paths))).toEqual(expected);
  });

  it.each([
    ['a role string', { sub: 'a', role: 'cso' }, { sub: 'a', role: 'cso', roles: ['cso'] }],
    ['a role array', { sub: 'a', role: ['admin', 'cso'], name: 'Dewi' }, { sub: 'a', role: 'admin', roles: ['admin', 'cso'], name: 'Dewi' }],
    ['a role array in another order', { sub: 'a', role: ['cso', 'admin'] }, { sub: 'a', role: 'admin', roles: ['cso', 'admin'] }],
    // R-U3: names it does not know are ignored; none known → 403 (stop 54, black-box audit)
    ['an unknown role only', { sub: 'a', role: 'root' }, 403],
    ['unknown roles only, an array', { sub: 'a', role: ['root', 'offline_access'] }, 403],
    ['an unknown role beside a known one', { sub: 'a', role: ['root', 'cso'] }, { sub: 'a', role: 'cso', roles: ['cso'] }],
    ['no role claim', { sub: 'a' }, 401],
    ['a role claim that is no name', { sub: 'a', role: 7 }, 401],
    ['an empty role array', { sub: 'a', role: [] }, 401],
    ['a unit role without a unit', { sub: 'a', role: ['cso', 'unit'] }, 401],
    ['a NUL in the name', { sub: 'a', role: 'cso', name: 'Dewi\u0000' }, 401],
  ])('HS256 tokens: %s', (_, claims, expected) => {
    expect(outcome(() => callerFromHs256(claims))).toEqual(expected);
  });

  it.each([
    [['cso', 'admin'], ['admin', 'backoffice'], 'admin'],
    [['backoffice', 'admin'], ['admin', 'backoffice'], 'admin'],
    [['admin', 'backoffice'], ['admin', 'backoffice'], 'admin'],
    [['cso'], ['admin'], undefined],
    [['mobile', 'cso'], undefined, 'cso'],
    // the token's order never decides (R-U3): a unit person who is also a cso reads as a cso
    [['unit', 'cso'], ['cso', 'mobile', 'unit', 'backoffice', 'admin'], 'cso'],
    [['cso', 'unit'], ['cso', 'mobile', 'unit', 'backoffice', 'admin'], 'cso'],
    [['unit', 'cso'], ['unit'], 'unit'],
    [['backoffice', 'cso'], ['cso', 'mobile', 'backoffice'], 'cso'],
    [['unit', 'mobile'], ['cso', 'mobile', 'unit', 'backoffice', 'admin'], 'mobile'],
  ] as const)('the caller %j at an endpoint for %j acts as %s', (roles, admitted, expected) => {
    expect(actingRole({ roles: [...roles] }, admitted && [...admitted])).toBe(expected);
  });
});
