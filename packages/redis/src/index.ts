import { Redis, type RedisOptions } from 'ioredis';

export { Redis } from 'ioredis';

/**
 * How a connection behaves when Redis is away:
 * - `request`: web and producers fail fast (no offline queue, one retry) so a request gets a 503 quickly;
 * - `blocking`: BullMQ workers and subscribers wait and retry forever, as BullMQ requires.
 * Both reconnect by themselves when Redis returns.
 */
export type RedisRole = 'request' | 'blocking';

export function createRedis(url: string, role: RedisRole, name: string): Redis {
  const common: RedisOptions = {
    connectionName: name,
    connectTimeout: 3000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  const options: RedisOptions =
    role === 'request'
      ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 3000 }
      : { ...common, maxRetriesPerRequest: null };
  return new Redis(url, options);
}
