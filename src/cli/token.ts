import { parseArgs } from 'node:util';
import { signToken } from '../auth/jwt';
import { ROLES, Role } from '../auth/roles';
import { devSecret } from '../config/dev-env';

// npm run token -- --role unit --unit 542 [--sub name] [--expires 12h]
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, unit: { type: 'string' }, sub: { type: 'string' }, expires: { type: 'string', default: '12h' } },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'unit' && !/^\d{2,5}$/.test(values.unit ?? '')) throw new Error('--unit <unit code> is required for role unit (a ULP: 3 digits; a UP3 or UID: 2–5)');
  const secret = process.env.AUTH_JWT_SECRET || (await devSecret());
  const sub = values.sub ?? `dev-${role}${values.unit ? `-${values.unit}` : ''}`;
  process.stdout.write(`${await signToken(secret, { sub, role, unit: values.unit }, values.expires)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
