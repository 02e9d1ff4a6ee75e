import { ConfigError, loadConfig } from './config';

// API.md "Configuration": an invalid value stops the start with a message naming the variable, rather
// than a service that starts half-broken (an outside audit found each of the "refused" rows below
// accepted: jobs running back to back, 500s at run time, a console that cannot sign in).
const refusal = (env: Record<string, string>): string | undefined => {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
};

describe('loadConfig', () => {
  it.each([
    ['PORT', ' '],
    ['PORT', '0x1000'],
    ['PORT', '70000'],
    ['PORT', '1e3'],
    ['PORT', '-1'],
    ['JOBS_INTERVAL_MS', '3000000000'], // past a timer's 2^31 − 1 ms, Node fires it at once
    ['JOBS_INTERVAL_MS', '9'],
    ['ESCALATION_LEASE_MS', '100000000000000000'],
    ['NOTIFY_DIGEST_MINUTES', '1000000000000000'],
    ['PERSONAL_DATA_RETENTION_DAYS', '1000000000000'],
    ['PERSONAL_DATA_ACCESS_LOG_DAYS', '1000000000000'],
    ['LOOKUP_RATE_PER_MINUTE', '0'],
    ['REPLICA_MAX_LAG_MS', ' '],
    ['REPLICA_MAX_LAG_MS', '5.5'],
    ['DATABASE_URL', 'not-a-url'],
    ['DATABASE_URL', 'mysql://db/apkt'],
    ['DATABASE_REPLICA_URLS', 'not a url'],
    ['DATABASE_REPLICA_URLS', 'http://example.com/x'],
    ['DATABASE_REPLICA_URLS', 'postgres://replica/apkt,foo'],
    ['SMTP_URL', 'not a url'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['MAIL_FROM', 'not an address'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url'],
    ['PUBLIC_URL', 'example.com'],
    ['WEBHOOK_ALLOWED_HOSTS', 'localhost:4588'],
    ['WEBHOOK_ALLOWED_HOSTS', '*'],
  ])('refuses %s=%j, naming it', (name, value) => {
    const env: Record<string, string> = { [name]: value };
    expect(refusal(env)).toContain(name);
  });

  it.each([
    ['SMTP_URL', 'http://mailer:S3cretPw@mail.example.com:587'],
    ['DATABASE_URL', 'mysql://apkt:S3cretPw@db/apkt'],
    ['DATABASE_REPLICA_URLS', 'http://apkt:S3cretPw@replica/apkt'],
  ])('refuses %s without showing its password (stop 54 audit)', (name, value) => {
    const message = refusal({ [name]: value });
    expect(message).toContain(name);
    expect(message).toContain('***@');
    expect(message).not.toContain('S3cretPw');
  });

  it('refuses OIDC_ISSUER that is not an http(s) URL, even with its audience', () => {
    expect(refusal({ OIDC_ISSUER: 'not a url', OIDC_AUDIENCE: 'apkt-api' })).toContain('OIDC_ISSUER');
  });

  it('takes the documented forms', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://apkt:secret@db:5432/apkt',
      DATABASE_REPLICA_URLS: 'postgres://replica-1/apkt, postgresql://apkt@/apkt?host=/var/run/postgresql',
      PORT: '0',
      JOBS_INTERVAL_MS: '2147483647',
      REPLICA_MAX_LAG_MS: '0',
      SMTP_URL: 'smtp://user:pass@mail:587',
      MAIL_FROM: 'APKT <apkt@pln.co.id>',
      OIDC_ISSUER: 'https://sso.pln.co.id/realms/apkt',
      OIDC_AUDIENCE: 'apkt-api',
      WEBHOOK_ALLOWED_HOSTS: 'LocalHost, 127.0.0.1, [::1]',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(config).toMatchObject({ port: 0, jobsIntervalMs: 2147483647, replicaMaxLagMs: 0, mailFrom: 'APKT <apkt@pln.co.id>', oidcIssuer: 'https://sso.pln.co.id/realms/apkt' });
    expect(config.databaseReplicaUrls).toHaveLength(2);
    // compared with a URL's host name, which is lower case and without IPv6 brackets
    expect(config.webhookAllowedHosts).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(loadConfig({ MAIL_FROM: 'apkt@localhost' }).mailFrom).toBe('apkt@localhost');
  });

  it('keeps the defaults of API.md when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({ port: 3000, jobsEnabled: true, jobsIntervalMs: 30000, migrateOnStart: true, escalationLeaseMs: 900000, notifyDigestMinutes: 15, personalDataRetentionDays: 730, personalDataAccessLogDays: 365, lookupRatePerMinute: 60, replicaMaxLagMs: 5000, webhookAllowedHosts: [], databaseReplicaUrls: [] });
  });

  // issue 30: reads never hold the whole pool, so a write always finds a connection under a flood of lists
  it.each([
    [{}, 20, 16],
    [{ DB_POOL_SIZE: '10' }, 10, 8],
    [{ DB_POOL_SIZE: '1' }, 1, 1],
    [{ DB_POOL_SIZE: '10', MAX_CONCURRENT_READS: '64' }, 10, 64],
  ])('reads at once default to four fifths of the pool: %j', (env, pool, reads) => {
    expect(loadConfig(env)).toMatchObject({ dbPoolSize: pool, maxConcurrentReads: reads });
  });
});
