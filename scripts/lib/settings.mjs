// The one place the ops scripts read the environment. The app's own processes read theirs
// through packages/config; these scripts only pick services and ports and pass the rest on.
import { join } from 'node:path';
import { DATA_DIR } from './paths.mjs';

function integer(name, value, fallback, min, max) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

export function scriptSettings(env = process.env) {
  return {
    formation: env.FORMATION,
    port: integer('PORT', env.PORT, 3000, 1, 65000),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_KEY_PREFIX || undefined,
    sessionSecret: env.SESSION_SECRET || undefined,
    trustProxy: env.TRUST_PROXY || undefined,
    graceMs: integer('SHUTDOWN_GRACE_SECONDS', env.SHUTDOWN_GRACE_SECONDS, 25, 1, 3600) * 1000,
    // Set by tests that have built already: skips install and build.
    skipBuild: env.WATCHPOST_SKIP_BUILD === '1',
    // Where a running `npm start` leaves its control address; tests give each runner its own.
    stateFile: env.WATCHPOST_STATE_FILE || join(DATA_DIR, 'runner.json'),
  };
}

/** The environment for a child process: ours, plus `overrides`. */
export function childEnv(overrides = {}) {
  return { ...process.env, ...overrides };
}
