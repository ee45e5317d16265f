import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load-config.js';

const required = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/watchpost',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SESSION_SECRET: 's'.repeat(32),
};

function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...required, ...extra };
}

/** The ConfigError message parseConfig throws for this environment. */
function configError(source: Record<string, string | undefined>): string {
  try {
    parseConfig('web', source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig defaults', () => {
  it('fills every optional setting with its documented default', () => {
    const config = parseConfig('web', env());
    expect(config.env).toBe('development');
    expect(config.processType).toBe('web');
    expect(config.logLevel).toBe('info');
    expect(config.version).toBe('dev');
    expect(config.http).toEqual({ port: 3000, host: '0.0.0.0', trustProxy: false, bodyLimit: 65536 });
    expect(config.database).toEqual({
      url: required.DATABASE_URL,
      poolMax: 5,
      connectTimeoutMs: 3000,
      statementTimeoutMs: 10000,
    });
    expect(config.redis).toEqual({ url: required.REDIS_URL, prefix: 'wp' });
    expect(config.session).toEqual({
      secret: required.SESSION_SECRET,
      idleTimeoutSeconds: 1800,
      absoluteTimeoutSeconds: 7 * 86400,
      cookieSecure: 'auto',
    });
    expect(config.login).toEqual({ maxAttemptsPerIp: 20, maxFailuresPerAccount: 10, windowSeconds: 900 });
    expect(config.shutdownGraceMs).toBe(25_000);
    expect(config.readinessDrainMs).toBe(0);
    expect(config.metricsPort).toBeNull();
    expect(config.worker).toEqual({ concurrency: 20, lockMs: 30_000 });
    expect(config.clock).toEqual({ tickSeconds: 5, retentionCron: '17 3 * * *' });
    expect(config.retentionDays).toBe(30);
  });

  it('derives the instance id from the process type, host name and pid when none is given', () => {
    expect(parseConfig('worker', env()).instanceId).toBe(`worker.${hostname()}.${process.pid}`);
    expect(parseConfig('clock', env({ HOSTNAME: 'pod-7' })).instanceId).toBe(`clock.pod-7.${process.pid}`);
    expect(parseConfig('web', env({ DYNO: 'web.3', HOSTNAME: 'pod-7' })).instanceId).toBe('web.3');
    expect(parseConfig('web', env({ INSTANCE_ID: 'web-a', DYNO: 'web.3' })).instanceId).toBe('web-a');
  });

  it('takes explicit values and converts seconds to milliseconds', () => {
    const config = parseConfig(
      'worker',
      env({
        NODE_ENV: 'production',
        LOG_LEVEL: 'debug',
        PORT: '8080',
        REDIS_KEY_PREFIX: 'wp-staging',
        SHUTDOWN_GRACE_SECONDS: '10',
        READINESS_DRAIN_SECONDS: '3',
        WORKER_LOCK_SECONDS: '60',
        WORKER_CONCURRENCY: '4',
        COOKIE_SECURE: 'true',
      }),
    );
    expect(config.env).toBe('production');
    expect(config.logLevel).toBe('debug');
    expect(config.http.port).toBe(8080);
    expect(config.redis.prefix).toBe('wp-staging');
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(config.readinessDrainMs).toBe(3_000);
    expect(config.worker).toEqual({ concurrency: 4, lockMs: 60_000 });
    expect(config.session.cookieSecure).toBe(true);
    expect(parseConfig('web', env({ COOKIE_SECURE: 'false' })).session.cookieSecure).toBe(false);
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list of addresses', () => {
    expect(parseConfig('web', env({ TRUST_PROXY: 'true' })).http.trustProxy).toBe(true);
    expect(parseConfig('web', env({ TRUST_PROXY: 'false' })).http.trustProxy).toBe(false);
    expect(parseConfig('web', env({ TRUST_PROXY: '' })).http.trustProxy).toBe(false);
    expect(parseConfig('web', env({ TRUST_PROXY: '2' })).http.trustProxy).toBe(2);
    expect(parseConfig('web', env({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' })).http.trustProxy).toBe('10.0.0.0/8,127.0.0.1');
  });
});

describe('parseConfig required variables', () => {
  it.each(['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET'] as const)('names %s when it is missing', (name) => {
    expect(configError(env({ [name]: undefined }))).toBe(`${name} is required`);
  });

  it('names the first missing variable when all are missing', () => {
    expect(configError({})).toBe('DATABASE_URL is required');
  });

  it('requires SESSION_SECRET to be at least 32 characters', () => {
    expect(configError(env({ SESSION_SECRET: 's'.repeat(31) }))).toBe('SESSION_SECRET must be at least 32 characters');
    expect(parseConfig('web', env({ SESSION_SECRET: 'x'.repeat(32) })).session.secret).toBe('x'.repeat(32));
  });

  it('requires DATABASE_URL to be a postgres URL and REDIS_URL a redis URL', () => {
    expect(configError(env({ DATABASE_URL: 'not a url' }))).toBe('DATABASE_URL must be a URL');
    expect(configError(env({ DATABASE_URL: 'mysql://root@db/watchpost' }))).toBe('DATABASE_URL must be a postgres:// URL');
    expect(parseConfig('web', env({ DATABASE_URL: 'postgresql://u@h/d' })).database.url).toBe('postgresql://u@h/d');
    expect(configError(env({ REDIS_URL: 'http://127.0.0.1:6379' }))).toBe('REDIS_URL must be a redis:// or rediss:// URL');
    expect(parseConfig('web', env({ REDIS_URL: 'rediss://cache:6380' })).redis.url).toBe('rediss://cache:6380');
  });
});

describe('parseConfig invalid values', () => {
  it('rejects a port that is not a number, not whole or out of range', () => {
    expect(configError(env({ PORT: 'abc' }))).toMatch(/^PORT /);
    expect(configError(env({ PORT: '80.5' }))).toBe('PORT must be a whole number');
    expect(configError(env({ PORT: '65536' }))).toMatch(/^PORT .*65535/);
    expect(configError(env({ PORT: '-1' }))).toMatch(/^PORT .*0/);
    expect(configError(env({ METRICS_PORT: '0' }))).toMatch(/^METRICS_PORT /);
    expect(configError(env({ METRICS_PORT: '99999' }))).toMatch(/^METRICS_PORT /);
  });

  it('rejects integers outside their bounds and names the variable', () => {
    expect(configError(env({ DATABASE_POOL_MAX: '0' }))).toMatch(/^DATABASE_POOL_MAX /);
    expect(configError(env({ DATABASE_POOL_MAX: 'many' }))).toMatch(/^DATABASE_POOL_MAX /);
    expect(configError(env({ WORKER_CONCURRENCY: '1.5' }))).toBe('WORKER_CONCURRENCY must be a whole number');
    expect(configError(env({ CLOCK_TICK_SECONDS: '60' }))).toMatch(/^CLOCK_TICK_SECONDS /);
    expect(configError(env({ CHECK_RETENTION_DAYS: '0' }))).toMatch(/^CHECK_RETENTION_DAYS /);
    expect(configError(env({ SESSION_IDLE_TIMEOUT_SECONDS: '4' }))).toMatch(/^SESSION_IDLE_TIMEOUT_SECONDS /);
  });

  it('rejects a TRUST_PROXY that Fastify could not use, with one line naming it', () => {
    expect(configError(env({ TRUST_PROXY: 'yes' }))).toMatch(/^TRUST_PROXY must be true, false, a hop count/);
    expect(configError(env({ TRUST_PROXY: '10.0.0.0/8,nonsense' }))).toMatch(/^TRUST_PROXY /);
    expect(parseConfig('web', env({ TRUST_PROXY: 'loopback, 10.0.0.0/8' })).http.trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(parseConfig('web', env({ TRUST_PROXY: '1' })).http.trustProxy).toBe(1);
  });

  it('rejects unknown enum values and a malformed key prefix', () => {
    expect(configError(env({ NODE_ENV: 'staging' }))).toMatch(/^NODE_ENV /);
    expect(configError(env({ LOG_LEVEL: 'verbose' }))).toMatch(/^LOG_LEVEL /);
    expect(configError(env({ COOKIE_SECURE: 'yes' }))).toMatch(/^COOKIE_SECURE /);
    expect(configError(env({ REDIS_KEY_PREFIX: 'wp:prod' }))).toBe(
      'REDIS_KEY_PREFIX may hold only letters, digits, dot, dash and underscore',
    );
  });

  it('validates RETENTION_CRON as a cron expression', () => {
    expect(parseConfig('clock', env({ RETENTION_CRON: '0 4 * * *' })).clock.retentionCron).toBe('0 4 * * *');
    expect(parseConfig('clock', env({ RETENTION_CRON: '*/15 * * * *' })).clock.retentionCron).toBe('*/15 * * * *');
    expect(configError(env({ RETENTION_CRON: 'every night' }))).toBe('RETENTION_CRON must be a cron expression');
    expect(configError(env({ RETENTION_CRON: '61 3 * * *' }))).toBe('RETENTION_CRON must be a cron expression');
    expect(configError(env({ RETENTION_CRON: '17 3 * *' }))).toBe('RETENTION_CRON must be a cron expression');
  });
});

describe('parseConfig metricsPort', () => {
  it('is METRICS_PORT when it is set, even when PORT is set too', () => {
    expect(parseConfig('worker', env({ METRICS_PORT: '9464' })).metricsPort).toBe(9464);
    expect(parseConfig('worker', env({ METRICS_PORT: '9464', PORT: '5000' })).metricsPort).toBe(9464);
  });

  it('is PORT when only PORT is set', () => {
    const config = parseConfig('worker', env({ PORT: '5000' }));
    expect(config.metricsPort).toBe(5000);
    expect(config.http.port).toBe(5000);
  });

  it('is null when neither is set, although http.port has its default', () => {
    const config = parseConfig('clock', env());
    expect(config.metricsPort).toBeNull();
    expect(config.http.port).toBe(3000);
  });
});

describe('parseConfig version', () => {
  it('prefers RELEASE_VERSION, then SOURCE_VERSION, then "dev"', () => {
    expect(parseConfig('web', env({ RELEASE_VERSION: 'v42', SOURCE_VERSION: 'abc123' })).version).toBe('v42');
    expect(parseConfig('web', env({ SOURCE_VERSION: 'abc123' })).version).toBe('abc123');
    expect(parseConfig('web', env()).version).toBe('dev');
  });

  it('treats an empty variable as unset, as env files write it', () => {
    expect(parseConfig('web', env({ RELEASE_VERSION: '', SOURCE_VERSION: 'abc123' })).version).toBe('abc123');
    const config = parseConfig('worker', env({ PORT: '', METRICS_PORT: '' }));
    expect(config.http.port).toBe(3000);
    expect(config.metricsPort).toBeNull();
    expect(configError(env({ DATABASE_URL: '' }))).toBe('DATABASE_URL is required');
  });
});

describe('loadConfig in a real process', () => {
  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

  /** Runs `loadConfig` of the built package in a child process with exactly this environment. */
  function runLoadConfig(childEnv: Record<string, string>) {
    const script = `
      import { loadConfig } from '@watchpost/config';
      const config = loadConfig('worker');
      process.stdout.write(JSON.stringify({ version: config.version, metricsPort: config.metricsPort }));
    `;
    return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...childEnv },
      encoding: 'utf8',
      timeout: 20_000,
    });
  }

  it('exits 1 with a single stderr line naming the missing variable and no stack trace', () => {
    const { DATABASE_URL: _omitted, ...withoutDatabase } = required;
    const child = runLoadConfig(withoutDatabase);
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(1);
    expect(child.stdout).toBe('');
    expect(child.stderr).toBe('watchpost worker: configuration error: DATABASE_URL is required\n');
    expect(child.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 naming an invalid variable', () => {
    const child = runLoadConfig({ ...required, SESSION_SECRET: 'short' });
    expect(child.status).toBe(1);
    const lines = child.stderr.split('\n').filter((line) => line.length > 0);
    expect(lines).toEqual(['watchpost worker: configuration error: SESSION_SECRET must be at least 32 characters']);
  });

  it('returns the config when the environment is valid', () => {
    const child = runLoadConfig({ ...required, RELEASE_VERSION: 'v7', PORT: '5123' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ version: 'v7', metricsPort: 5123 });
  });
});
