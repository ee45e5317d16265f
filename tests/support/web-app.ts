import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '@watchpost/config';
import { createLogger } from '@watchpost/logger';
import { createQueues } from '@watchpost/queue';
import { createRedis } from '@watchpost/redis';
import { bullConnection, createDatabase, createMetricsRegistry } from '@watchpost/runtime';
import { buildApp, type WebApp } from '../../apps/web/dist/app.js';
import { appEnv } from './test-env.js';

export interface TestWebApp {
  app: WebApp;
  config: Config;
  close(): Promise<void>;
}

const assetsDir = fileURLToPath(new URL('../../apps/web/dist/public', import.meta.url));

/**
 * Boots the built web app against real Postgres and Redis (a test database and key prefix of its
 * own), for `app.inject`. Close it after the test.
 */
export async function buildTestApp(db: string, redisPrefix: string, env: Record<string, string> = {}): Promise<TestWebApp> {
  const config = parseConfig('web', appEnv(db, redisPrefix, env));
  const logger = createLogger({ processType: 'web', instanceId: 'test', level: config.logLevel });
  const prisma = createDatabase(config);
  const redis = createRedis(config.redis.url, 'request', 'test-web');
  const subscriber = createRedis(config.redis.url, 'blocking', 'test-web-sub');
  // Outage tests cut Redis on purpose: the app reports it; keep ioredis from printing each retry.
  for (const client of [redis, subscriber]) client.on('error', () => undefined);
  const queues = createQueues(bullConnection(config, 'producer'), config.redis.prefix);
  queues.onError(() => undefined);
  const metrics = createMetricsRegistry('web', 'test');
  const closeClients = async () => {
    await queues.close();
    redis.disconnect();
    subscriber.disconnect();
    await prisma.$disconnect();
  };
  const app = await buildApp({ config, logger, db: prisma, redis, subscriber, assetsDir, queues: queues.all, metrics }).catch(
    async (error: unknown) => {
      await closeClients();
      throw error;
    },
  );
  await app.ready();
  return {
    app,
    config,
    async close() {
      await app.close();
      await closeClients();
    },
  };
}
