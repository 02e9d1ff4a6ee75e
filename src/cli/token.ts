import { parseArgs } from 'node:util';
import { signToken } from '../auth/jwt';
import { ROLES, Role } from '../auth/roles';
import { devSecret } from '../config/dev-env';

const USAGE = `Mints an HS256 development token signed with AUTH_JWT_SECRET (or the development mode's generated secret).

  npm run -s token -- --role <role> [--unit <unit code>] [--sub <subject>] [--expires 12h]

  --role     one of ${ROLES.join(', ')}
  --unit     the caller's unit, required for role unit (a ULP: 3 digits; a UP3 or UID: 2–5)
  --sub      the subject (default dev-<role>[-<unit>])
  --expires  lifetime, e.g. 30m, 12h, 7d (default 12h)
`;

// npm run token -- --role unit --unit 542 [--sub name] [--expires 12h]
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, unit: { type: 'string' }, sub: { type: 'string' }, expires: { type: 'string', default: '12h' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (role === 'unit' && !/^\d{2,5}$/.test(values.unit ?? '')) throw new Error('--unit <unit code> is required for role unit (a ULP: 3 digits; a UP3 or UID: 2–5)');
  const secret = process.env.AUTH_JWT_SECRET || (await devSecret());
  const sub = values.sub ?? `dev-${role}${values.unit ? `-${values.unit}` : ''}`;
  process.stdout.write(`${await signToken(secret, { sub, role, unit: values.unit }, values.expires)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n\n${USAGE}`);
  process.exit(1);
});
