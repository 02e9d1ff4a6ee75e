import { Prisma } from '../../generated/prisma/client';
import { OPEN } from '../rules/lifecycle.rule';

/** R-T4's OPEN as an SQL list of literals, `('LAPOR', …)`: built from constants, never from input. */
export const OPEN_STATUSES_SQL = Prisma.raw(`(${[...OPEN].map((s) => `'${s}'`).join(', ')})`);
