import { hostname } from 'node:os';
import { envSchema, type Env } from './schema.js';

export type ProcessType = 'web' | 'worker' | 'clock' | 'release' | 'script';

export interface Config {
  env: Env['NODE_ENV'];
  processType: ProcessType;
  instanceId: string;
  /** The release this process runs (RELEASE_VERSION, or Heroku's SOURCE_VERSION). */
  version: string;
  logLevel: Env['LOG_LEVEL'];
  http: {
    port: number;
    host: string;
    trustProxy: boolean | number | string;
    bodyLimit: number;
  };
  database: {
    url: string;
    poolMax: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
  };
  redis: { url: string; prefix: string };
  session: {
    secret: string;
    idleTimeoutSeconds: number;
    absoluteTimeoutSeconds: number;
    cookieSecure: 'auto' | boolean;
  };
  login: { maxAttemptsPerIp: number; maxFailuresPerAccount: number; windowSeconds: number };
  shutdownGraceMs: number;
  /** How long web keeps serving with readiness failed before it stops accepting connections. */
  readinessDrainMs: number;
  /** Where worker and clock serve /metrics: METRICS_PORT, else PORT when it is set, else nowhere. */
  metricsPort: number | null;
  worker: { concurrency: number; lockMs: number };
  clock: { tickSeconds: number; retentionCron: string };
  retentionDays: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `TRUST_PROXY` takes true/false, a hop count, or a list of addresses/CIDRs as Fastify does. */
function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  if (raw === 'false' || raw === '') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** Validates an environment into a Config; throws ConfigError naming the first bad variable. */
export function parseConfig(processType: ProcessType, raw: Record<string, string | undefined>): Config {
  // An empty variable (`PORT=` in an env file) means unset, as it does for most tools.
  const source = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const message = issue.code === 'invalid_type' && source[name] === undefined ? 'is required' : issue.message;
    throw new ConfigError(`${name} ${message}`);
  }
  const e = result.data;
  return {
    env: e.NODE_ENV,
    processType,
    instanceId: e.INSTANCE_ID ?? e.DYNO ?? `${processType}.${e.HOSTNAME ?? hostname()}.${process.pid}`,
    version: e.RELEASE_VERSION ?? e.SOURCE_VERSION ?? 'dev',
    logLevel: e.LOG_LEVEL,
    http: {
      port: e.PORT,
      host: e.HOST,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      bodyLimit: e.BODY_LIMIT_BYTES,
    },
    database: {
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    redis: { url: e.REDIS_URL, prefix: e.REDIS_KEY_PREFIX },
    session: {
      secret: e.SESSION_SECRET,
      idleTimeoutSeconds: e.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: e.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    },
    login: {
      maxAttemptsPerIp: e.LOGIN_MAX_ATTEMPTS_PER_IP,
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      windowSeconds: e.LOGIN_WINDOW_SECONDS,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    readinessDrainMs: e.READINESS_DRAIN_SECONDS * 1000,
    metricsPort: e.METRICS_PORT ?? (source.PORT !== undefined ? e.PORT : null),
    worker: { concurrency: e.WORKER_CONCURRENCY, lockMs: e.WORKER_LOCK_SECONDS * 1000 },
    clock: { tickSeconds: e.CLOCK_TICK_SECONDS, retentionCron: e.RETENTION_CRON },
    retentionDays: e.CHECK_RETENTION_DAYS,
  };
}

/**
 * Reads the process environment (the only place in Watchpost that does) and returns the
 * validated Config. On a bad setting it prints one line naming the variable and exits 1.
 */
export function loadConfig(processType: ProcessType): Config {
  try {
    return parseConfig(processType, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`watchpost ${processType}: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
