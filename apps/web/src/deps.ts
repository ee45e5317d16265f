import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import type { Config } from '@watchpost/config';
import type { Database } from '@watchpost/db';
import type { Logger } from '@watchpost/logger';
import type { Redis } from '@watchpost/redis';

/** The clients and settings the web app is built from; main.ts creates them, tests too. */
export interface WebDeps {
  config: Config;
  logger: Logger;
  db: Database;
  /** Fail-fast connection for sessions, rate limits and heartbeats; the app uses it as `app.redis` (@fastify/redis). */
  redis: Redis;
  /** Blocking connection for pub/sub subscriptions (live events). */
  subscriber: Redis;
  /** Directory holding the compiled, content-hashed assets and their manifest. */
  assetsDir: string;
  /** The queues whose depth the ops page shows. */
  queues: Queue[];
  /** This process's Prometheus registry, served at /metrics. */
  metrics: Registry;
}
