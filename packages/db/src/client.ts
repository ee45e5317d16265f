import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export interface DatabaseOptions {
  url: string;
  poolMax: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  applicationName: string;
}

/**
 * A Prisma client over a `pg` pool with explicit timeouts: without them an outage hangs
 * requests (the pool waits forever for a connection by default).
 */
export function createPrisma(opts: DatabaseOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: opts.url,
    max: opts.poolMax,
    connectionTimeoutMillis: opts.connectTimeoutMs,
    statement_timeout: opts.statementTimeoutMs,
    query_timeout: opts.statementTimeoutMs + 1000,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName,
  });
  return new PrismaClient({ adapter });
}

export type Database = PrismaClient;
