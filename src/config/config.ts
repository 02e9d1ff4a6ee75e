// Reads the environment of API.md's configuration table once, at start-up.
export interface AppConfig {
  databaseUrl: string | undefined;
  port: number;
  /** Opt-in second port answering only /health/live and /health/ready from a thread of its own (HEALTH_PORT, issue 30). */
  healthPort?: number;
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
  /** API reads (GET, HEAD) handled at once; one more waits its turn at most dbPoolWaitMs, then 503 (MAX_CONCURRENT_READS, issue 30). */
  maxConcurrentReads?: number;
  /** Origins a browser may call from (CORS); none by default. */
  corsOrigins?: string[];
  /** R-U1: the OpenID Connect issuer whose access tokens are accepted (OIDC_ISSUER), and the audience they must hold. */
  oidcIssuer?: string;
  oidcAudience?: string;
  /** R-U3: dotted claim paths of the roles and the unit. */
  oidcRolesClaim?: string;
  oidcUnitClaim?: string;
  /** R-U5: the console's public client and the scope it asks for. */
  oidcConsoleClientId?: string;
  oidcConsoleScope?: string;
  /** R-W6: hosts exempt from the internal-address refusal (development and tests). */
  webhookAllowedHosts?: string[];
  /** R-W7: mail transport; unset in development keeps mails instead of sending them. */
  smtpUrl?: string;
  mailFrom?: string;
  notifyDigestMinutes?: number;
  /** R-W7: the service's public origin for the console links in mails (PUBLIC_URL; default http://localhost:<port>). */
  publicUrl?: string;
  /** R-P4, R-P1. */
  personalDataRetentionDays?: number;
  personalDataAccessLogDays?: number;
  /** R-P5. */
  lookupRatePerMinute?: number;
  /** R-D1. */
  databaseReplicaUrls?: string[];
  replicaMaxLagMs?: number;
  /**
   * R-D1: the primary without the pooler, for migrations (DATABASE_DIRECT_URL). Set when DATABASE_URL goes
   * through a transaction-pooling PgBouncer; then no named prepared statement is sent over DATABASE_URL.
   */
  databaseDirectUrl?: string;
}

export class ConfigError extends Error {}

/** The largest delay a Node.js timer takes (2^31 − 1 ms); past it a timer fires at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2_147_483_647;

/** A whole number of digits between `min` and `max`: "1e3", "0x10", " 5" and "5.0" are refused, not guessed. */
function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number = MAX_TIMER_MS): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A URL or connection string as an error may show it: whatever stands between `//` and `@` (user and password) masked. */
export const withoutCredentials = (raw: string): string => raw.replace(/(\/\/)[^/@\s]*@/, '$1***@');

/** A URL whose scheme is one of `schemes`, with a host, or a clear start-up error naming the variable. */
function urlVar(name: string, raw: string | undefined, schemes: readonly string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !schemes.includes(url.protocol) || !url.hostname) {
    throw new ConfigError(`${name} must be a ${schemes.map((s) => s.slice(0, -1)).join(' or ')} URL with a host, got "${withoutCredentials(raw)}"`);
  }
  return raw;
}

/**
 * A PostgreSQL connection string (postgres:// or postgresql://, as libpq and pg take it: the host may be
 * left out or given as a socket folder in `?host=`), or a clear start-up error naming the variable.
 */
function postgresVar(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(?:ql)?:\/\/\S*$/.test(raw)) throw new ConfigError(`${name} must be a postgres:// or postgresql:// connection string, got "${withoutCredentials(raw)}"`);
  return raw;
}

const HTTP = ['http:', 'https:'] as const;

function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

// Issue 30: under overload a request is shed (503 + Retry-After) within a second of queueing for a
// connection; 10 s queued 500 list clients long enough to push served lists' p99 to 27-31 s.
export const DEFAULT_DB_POOL_WAIT_MS = 1000;
export const DEFAULT_DB_POOL_SIZE = 20;
/**
 * Reads at once (src/http/load-shedding.ts) unless MAX_CONCURRENT_READS says: four fifths of the pool,
 * so that reads never hold every connection and the writes and the dispatcher always find one; the
 * rest wait their turn at most DB_POOL_WAIT_MS. With 64 (three reads per connection, until 2026-12-07)
 * 500 list clients held all 20 connections: the creates beside them queued (149 a second), and with
 * twenty list statements running on two cores the event loop got so little of the CPU that readiness
 * took 233 ms at the p99; with 16, 453–466 creates a second and readiness 117–138 ms, the lists served
 * as many (bench scenario 14, bench/HISTORY.md).
 */
export function defaultMaxConcurrentReads(poolSize: number): number {
  return Math.max(1, Math.floor((poolSize * 4) / 5));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  checkOtlpEndpoints(env);
  const dbPoolSize = intVar(env, 'DB_POOL_SIZE', DEFAULT_DB_POOL_SIZE, 1, 10_000);
  return {
    databaseUrl: postgresVar('DATABASE_URL', env.DATABASE_URL),
    port: intVar(env, 'PORT', 3000, 0, 65535),
    healthPort: env.HEALTH_PORT ? intVar(env, 'HEALTH_PORT', 0, 0, 65535) : undefined,
    host: env.HOST || '0.0.0.0',
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    jobsEnabled: boolVar(env, 'JOBS_ENABLED', true),
    jobsIntervalMs: intVar(env, 'JOBS_INTERVAL_MS', 30000, 10),
    migrateOnStart: boolVar(env, 'MIGRATE_ON_START', true),
    escalationLeaseMs: intVar(env, 'ESCALATION_LEASE_MS', 900000, 1),
    dbPoolSize,
    dbPoolWaitMs: intVar(env, 'DB_POOL_WAIT_MS', DEFAULT_DB_POOL_WAIT_MS, 1),
    dbStatementTimeoutMs: intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 20000, 1),
    maxConcurrentReads: intVar(env, 'MAX_CONCURRENT_READS', defaultMaxConcurrentReads(dbPoolSize), 1, 100_000),
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
    ...identityConfig(env),
    webhookAllowedHosts: allowedHosts(env),
    smtpUrl: urlVar('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']),
    mailFrom: mailFrom(env.MAIL_FROM),
    notifyDigestMinutes: intVar(env, 'NOTIFY_DIGEST_MINUTES', 15, 1, 525_600), // at most a year
    publicUrl: urlVar('PUBLIC_URL', env.PUBLIC_URL, HTTP),
    personalDataRetentionDays: intVar(env, 'PERSONAL_DATA_RETENTION_DAYS', 730, 1, 36_500), // at most a century
    personalDataAccessLogDays: intVar(env, 'PERSONAL_DATA_ACCESS_LOG_DAYS', 365, 1, 36_500),
    lookupRatePerMinute: intVar(env, 'LOOKUP_RATE_PER_MINUTE', 60, 1, 10_000),
    databaseReplicaUrls: listVar(env, 'DATABASE_REPLICA_URLS').map((url) => postgresVar('DATABASE_REPLICA_URLS', url)!),
    replicaMaxLagMs: intVar(env, 'REPLICA_MAX_LAG_MS', 5000, 0),
    databaseDirectUrl: postgresVar('DATABASE_DIRECT_URL', env.DATABASE_DIRECT_URL),
  };
}

/** WEBHOOK_ALLOWED_HOSTS: host names or IP addresses, compared as URLs write them (lower case, IPv6 without brackets). */
function allowedHosts(env: NodeJS.ProcessEnv): string[] {
  return listVar(env, 'WEBHOOK_ALLOWED_HOSTS').map((entry) => {
    const host = entry.toLowerCase().replace(/^\[|\]$/g, '');
    if (/[/*@\s]/.test(host) || /^[^:]+:\d+$/.test(host)) {
      throw new ConfigError(`WEBHOOK_ALLOWED_HOSTS lists host names or IP addresses (no port, path or wildcard), got "${entry}"`);
    }
    return host;
  });
}

/** MAIL_FROM: an address, alone or as `Name <address>`. */
function mailFrom(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(raw) && !/<[^\s@<>]+@[^\s@<>]+>$/.test(raw)) throw new ConfigError(`MAIL_FROM must be an e-mail address (or "Name <address>"), got "${raw}"`);
  return raw;
}

/** The OpenTelemetry exporter's endpoints (read by src/tracing itself): checked here so a typo stops the start. */
function checkOtlpEndpoints(env: NodeJS.ProcessEnv): void {
  urlVar('OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT, HTTP);
  urlVar('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, HTTP);
}

function listVar(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function identityConfig(env: NodeJS.ProcessEnv): Partial<AppConfig> {
  const oidcIssuer = urlVar('OIDC_ISSUER', env.OIDC_ISSUER, HTTP);
  const oidcAudience = env.OIDC_AUDIENCE || undefined;
  if (oidcIssuer && !oidcAudience) throw new ConfigError('OIDC_AUDIENCE is required with OIDC_ISSUER: the aud the access tokens must hold');
  return {
    oidcIssuer,
    oidcAudience,
    oidcRolesClaim: env.OIDC_ROLES_CLAIM || 'role',
    oidcUnitClaim: env.OIDC_UNIT_CLAIM || 'unit',
    oidcConsoleClientId: env.OIDC_CONSOLE_CLIENT_ID || 'apkt-console',
    oidcConsoleScope: env.OIDC_CONSOLE_SCOPE || 'openid profile',
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** CORS_ORIGINS: comma-separated origins, e.g. `http://localhost:5173,https://desk.example`; none by default. */
export const parseOrigins = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
