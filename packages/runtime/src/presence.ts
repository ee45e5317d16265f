import { hostname } from 'node:os';
import type { Redis } from '@watchpost/redis';

/** What one live process says about itself; `npm run ps` and the ops page list these. */
export interface ProcessPresence {
  type: string;
  instance: string;
  host: string;
  pid: number;
  version: string;
  startedAt: string;
  updatedAt: string;
  /** Counters of the process type: requests served and in flight, jobs processed, lag... */
  stats: Record<string, number>;
}

const INTERVAL_MS = 5000;
/** A process that misses three beats (crashed, SIGKILLed, partitioned) drops out of the formation. */
const TTL_SECONDS = 15;

function presenceKey(prefix: string, instance: string): string {
  return `${prefix}:formation:${instance}`;
}

/**
 * Publishes this process's presence to Redis every few seconds with an expiry, so the live
 * formation is known without any process knowing how many others exist. `stop()` removes it.
 */
export function startPresence(
  redis: Redis,
  prefix: string,
  info: Pick<ProcessPresence, 'type' | 'instance' | 'version'>,
  stats: () => Record<string, number>,
): { stop(): Promise<void> } {
  const startedAt = new Date().toISOString();
  const key = presenceKey(prefix, info.instance);
  const beat = async () => {
    const presence: ProcessPresence = {
      ...info,
      host: hostname(),
      pid: process.pid,
      startedAt,
      updatedAt: new Date().toISOString(),
      stats: stats(),
    };
    await redis.set(key, JSON.stringify(presence), 'EX', TTL_SECONDS).catch(() => undefined);
  };
  const beatNow = () => void beat();
  beatNow();
  // A fail-fast client drops the first beat while it connects; beat again as soon as it is ready.
  redis.on('ready', beatNow);
  const timer = setInterval(beatNow, INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      redis.off('ready', beatNow);
      await redis.del(key).catch(() => undefined);
    },
  };
}

/** Every live process of the formation, ordered by type and instance. */
export async function readFormation(redis: Redis, prefix: string): Promise<ProcessPresence[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', presenceKey(prefix, '*'), 'COUNT', 500);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values
    .filter((v): v is string => v !== null)
    .map((v) => JSON.parse(v) as ProcessPresence)
    .sort((a, b) => a.type.localeCompare(b.type) || a.instance.localeCompare(b.instance, undefined, { numeric: true }));
}
