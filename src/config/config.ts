import { parseOrigins } from '../http/cors';

// Reads the environment of API.md's configuration table once, at start-up.
export interface AppConfig {
  databaseUrl: string | undefined;
  port: number;
  host: string;
  jwtSecret: string | undefined;
  jobsEnabled: boolean;
  jobsIntervalMs: number;
  migrateOnStart: boolean;
  escalationLeaseMs: number;
  /** Connections in the pool (DB_POOL_SIZE). */
  dbPoolSize: number;
  /** How long a request waits for a pooled connection before it is answered 503 (DB_POOL_WAIT_MS). */
  dbPoolWaitMs: number;
  /** PostgreSQL's statement_timeout for the service's connections; past it the request is 503 (DB_STATEMENT_TIMEOUT_MS). */
  dbStatementTimeoutMs: number;
  /** Origins a browser may call from (CORS); none by default. */
  corsOrigins?: string[];
}

export class ConfigError extends Error {}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    port: intVar(env, 'PORT', 3000, 0),
    host: env.HOST || '0.0.0.0',
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    jobsEnabled: boolVar(env, 'JOBS_ENABLED', true),
    jobsIntervalMs: intVar(env, 'JOBS_INTERVAL_MS', 30000, 10),
    migrateOnStart: boolVar(env, 'MIGRATE_ON_START', true),
    escalationLeaseMs: intVar(env, 'ESCALATION_LEASE_MS', 900000, 1),
    dbPoolSize: intVar(env, 'DB_POOL_SIZE', 20, 1),
    dbPoolWaitMs: intVar(env, 'DB_POOL_WAIT_MS', 10000, 1),
    dbStatementTimeoutMs: intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 20000, 1),
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
