import { Redis } from 'ioredis';
import { redisUrl, uniqueName } from './test-env.js';

/** A Redis key prefix of its own for one test file, and a way to delete everything under it. */
export function createTestRedisPrefix(): { prefix: string; client: Redis; cleanup(): Promise<void> } {
  const prefix = uniqueName('r');
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  return {
    prefix,
    client,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await client.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      client.disconnect();
    },
  };
}
