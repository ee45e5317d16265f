import { execFileSync } from 'node:child_process';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { baseDatabaseUrl, databaseUrl, uniqueName } from './test-env.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** The migrated database each test file clones (CREATE DATABASE ... TEMPLATE). */
    templateDatabase: string;
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function migrateTemplate(name: string): Promise<void> {
  await admin(`CREATE DATABASE ${name}`);
  execFileSync('npx', ['--no-install', 'dbmate', '--migrations-dir', 'prisma/migrations', '--no-dump-schema', 'up'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(name) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const shared = globalThis as { watchpostTemplate?: { name: string; ready: Promise<void> } };

/**
 * Migrates one template database per test run, named for the run so concurrent runs never touch
 * each other's; every project lists this setup and they share one process, so the first call
 * does the work. Teardown drops it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!shared.watchpostTemplate) {
    const name = uniqueName('template');
    shared.watchpostTemplate = { name, ready: migrateTemplate(name) };
  }
  const { name, ready } = shared.watchpostTemplate;
  await ready;
  project.provide('templateDatabase', name);
  return () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
