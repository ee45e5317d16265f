import type { Registry } from 'prom-client';
import { loadConfig, type Config, type ProcessType } from '@watchpost/config';
import type { Database } from '@watchpost/db';
import { createLogger, type Logger } from '@watchpost/logger';
import type { Redis } from '@watchpost/redis';
import { createDatabase } from './clients.js';
import { exitOnFatalErrors } from './lifecycle.js';
import { createMetricsRegistry } from './metrics.js';
import { startPresence } from './presence.js';

export interface ProcessBase {
  config: Config;
  logger: Logger;
  db: Database;
  /** This process's Prometheus registry. */
  metrics: Registry;
}

/** What every process type starts with: validated config, tagged logger, Postgres client, metrics. */
export function bootProcess(type: ProcessType): ProcessBase {
  const config = loadConfig(type);
  const logger = createLogger({ processType: type, instanceId: config.instanceId, level: config.logLevel });
  exitOnFatalErrors(logger);
  return { config, logger, db: createDatabase(config), metrics: createMetricsRegistry(type, config.instanceId) };
}

/** Starts this process's heartbeat in the formation, reporting `stats`. */
export function joinFormation(redis: Redis, config: Config, stats: () => Record<string, number>) {
  return startPresence(redis, config.redis.prefix, { type: config.processType, instance: config.instanceId, version: config.version }, stats);
}
