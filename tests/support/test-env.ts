import { randomBytes } from 'node:crypto';

/** The servers the tests use: set by `npm test` (scripts/test.mjs), or by hand. */
export const baseDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable';
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A URL for another database on the same server as `baseDatabaseUrl`. */
export function databaseUrl(name: string): string {
  const url = new URL(baseDatabaseUrl);
  url.pathname = `/${name}`;
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

/** A short random name, so parallel test files and runs never share a database or key prefix. */
export function uniqueName(kind: string): string {
  return `wp_${kind}_${randomBytes(5).toString('hex')}`;
}

/** The environment a Watchpost process needs, for one test's database and Redis prefix. */
export function appEnv(db: string, redisPrefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl(db),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ...extra,
  };
}
