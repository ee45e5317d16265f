import type { Config } from '@watchpost/config';
import { createPrisma, type Database } from '@watchpost/db';

/** The Postgres client every process type uses, sized and timed out from the config. */
export function createDatabase(config: Config): Database {
  return createPrisma({
    url: config.database.url,
    poolMax: config.database.poolMax,
    connectTimeoutMs: config.database.connectTimeoutMs,
    statementTimeoutMs: config.database.statementTimeoutMs,
    applicationName: `watchpost-${config.instanceId}`,
  });
}

/** BullMQ connection options for this config: one URL, parsed once. */
export function bullConnection(config: Config, role: 'producer' | 'worker') {
  const url = new URL(config.redis.url);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    connectionName: `watchpost-${config.instanceId}`,
    // Producers fail fast so a request or tick errors instead of hanging; workers wait forever.
    ...(role === 'producer' ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
  };
}
