import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES } from '../src/auth/roles';

// deploy/keycloak/apkt-realm.json: the Keycloak realm docker-compose imports (docs/identity.md). No
// Keycloak runs here, so this checks the export itself against what the service and the console expect.
type Mapper = { protocolMapper: string; config: Record<string, string> };
type Client = {
  clientId: string;
  publicClient: boolean;
  standardFlowEnabled: boolean;
  implicitFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  redirectUris?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: Mapper[];
  secret?: string;
};
type User = { username: string; serviceAccountClientId?: string; realmRoles?: string[]; attributes?: Record<string, string[]> };

const realm = JSON.parse(readFileSync(join(__dirname, '..', 'deploy', 'keycloak', 'apkt-realm.json'), 'utf8')) as {
  realm: string;
  enabled: boolean;
  roles: { realm: { name: string }[] };
  clients: Client[];
  users: User[];
  components: Record<string, { config: Record<string, string[]> }[]>;
};
const client = (id: string) => realm.clients.find((c) => c.clientId === id) as Client;
const audienceOf = (c: Client) => c.protocolMappers?.find((m) => m.protocolMapper === 'oidc-audience-mapper')?.config;

describe('R-U1 R-U3 R-U4 R-U5 the Keycloak realm kept in the repository', () => {
  it('is an enabled realm whose realm roles include every role of ours', () => {
    expect(realm).toMatchObject({ realm: 'apkt', enabled: true });
    expect(realm.roles.realm.map((r) => r.name)).toEqual(expect.arrayContaining([...ROLES]));
  });

  it('has the console as a public client with PKCE S256 and the callback and post-logout URIs of API.md', () => {
    const console = client('apkt-console');
    expect(console).toMatchObject({ publicClient: true, standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false });
    expect(console.secret).toBeUndefined();
    expect(console.attributes?.['pkce.code.challenge.method']).toBe('S256');
    expect(console.redirectUris?.length).toBeGreaterThan(0);
    for (const uri of console.redirectUris ?? []) expect(uri).toMatch(/^https?:\/\/[^/]+\/console\/auth\/callback$/);
    for (const uri of (console.attributes?.['post.logout.redirect.uris'] ?? '').split('##')) expect(uri).toMatch(/^https?:\/\/[^/]+\/console\/$/);
  });

  it.each([
    ['pln-mobile', 'mobile'],
    ['listriqu', 'listriqu'],
    ['itsm', 'itsm'],
  ])('has %s as a confidential client-credentials client whose service account holds the realm role %s', (clientId, role) => {
    expect(client(clientId)).toMatchObject({ publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false, directAccessGrantsEnabled: false });
    const account = realm.users.find((u) => u.serviceAccountClientId === clientId);
    expect(account?.realmRoles).toContain(role);
  });

  it('puts aud = apkt-api into the access tokens of every client', () => {
    for (const c of realm.clients) expect([c.clientId, audienceOf(c)]).toEqual([c.clientId, expect.objectContaining({ 'included.custom.audience': 'apkt-api', 'access.token.claim': 'true' })]);
  });

  it('maps the unit user attribute into the access token as the claim unit, and declares it in the user profile', () => {
    const mapper = client('apkt-console').protocolMappers?.find((m) => m.protocolMapper === 'oidc-usermodel-attribute-mapper');
    expect(mapper?.config).toMatchObject({ 'user.attribute': 'unit', 'claim.name': 'unit', 'access.token.claim': 'true' });
    const profile = JSON.parse(realm.components['org.keycloak.userprofile.UserProfileProvider'][0].config['kc.user.profile.config'][0]) as { attributes: { name: string }[] };
    expect(profile.attributes.map((a) => a.name)).toContain('unit');
  });

  it('has demo people, each unit person with a unit', () => {
    const people = realm.users.filter((u) => !u.serviceAccountClientId);
    expect(people.length).toBeGreaterThan(0);
    for (const p of people.filter((u) => u.realmRoles?.includes('unit'))) expect(p.attributes?.unit?.[0]).toMatch(/^\d{3}$/);
    for (const p of people) expect(p.realmRoles?.some((r) => (ROLES as readonly string[]).includes(r))).toBe(true);
  });
});
