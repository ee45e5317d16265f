import { validate as isCronExpression } from 'node-cron';
import { isIP } from 'node:net';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int('must be a whole number').min(min).max(max);

/** Fastify's trust-proxy forms: true/false, a hop count, or addresses, CIDRs and named ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isTrustedProxyEntry = (entry: string) => {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  if (prefix === undefined) return NAMED_RANGES.has(address) || isIP(address) !== 0;
  return isIP(address) !== 0 && /^\d{1,3}$/.test(prefix);
};
const trustProxy = z
  .string()
  .refine(
    (v) => /^(true|false|\d+)$/.test(v) || v.split(',').every((entry) => isTrustedProxyEntry(entry.trim())),
    'must be true, false, a hop count, or comma-separated addresses/CIDRs (or loopback, linklocal, uniquelocal)',
  );

const postgresUrl = z
  .string({ message: 'is required' })
  .url('must be a URL')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL');

const redisUrl = z
  .string({ message: 'is required' })
  .url('must be a URL')
  .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

/** Every setting Watchpost reads, with its default. `.env.example` lists the same names. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INSTANCE_ID: z.string().min(1).optional(),
  DYNO: z.string().min(1).optional(),
  HOSTNAME: z.string().min(1).optional(),

  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: trustProxy.default('false'),
  BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(65536),

  DATABASE_URL: postgresUrl,
  DATABASE_POOL_MAX: int(1, 100).default(5),
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 60000).default(3000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600000).default(10000),

  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'may hold only letters, digits, dot, dash and underscore')
    .default('wp'),

  SESSION_SECRET: z.string({ message: 'is required' }).min(32, 'must be at least 32 characters'),
  SESSION_IDLE_TIMEOUT_SECONDS: int(5, 30 * 86400).default(1800),
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: int(5, 90 * 86400).default(7 * 86400),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),

  LOGIN_MAX_ATTEMPTS_PER_IP: int(1, 10000).default(20),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(10),
  LOGIN_WINDOW_SECONDS: int(1, 86400).default(900),

  SHUTDOWN_GRACE_SECONDS: int(1, 3600).default(25),
  READINESS_DRAIN_SECONDS: int(0, 300).default(0),
  METRICS_PORT: int(1, 65535).optional(),
  RELEASE_VERSION: z.string().min(1).optional(),
  SOURCE_VERSION: z.string().min(1).optional(),

  WORKER_CONCURRENCY: int(1, 1000).default(20),
  WORKER_LOCK_SECONDS: int(5, 3600).default(30),

  CLOCK_TICK_SECONDS: int(1, 59).default(5),
  CHECK_RETENTION_DAYS: int(1, 3650).default(30),
  RETENTION_CRON: z.string().refine(isCronExpression, 'must be a cron expression').default('17 3 * * *'),
});

export type Env = z.infer<typeof envSchema>;
