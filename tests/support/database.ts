import pg from 'pg';
import { inject } from 'vitest';
import { createPrisma, type Database } from '@watchpost/db';
import { baseDatabaseUrl, databaseUrl, uniqueName } from './test-env.js';

export interface TestDatabase {
  name: string;
  url: string;
  prisma: Database;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseDatabaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A freshly migrated database of its own for one test file, cloned from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueName('db');
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`));
  const url = databaseUrl(name);
  const prisma = createPrisma({ url, poolMax: 5, connectTimeoutMs: 3000, statementTimeoutMs: 10000, applicationName: 'test' });
  return {
    name,
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
