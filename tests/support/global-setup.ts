import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { baseDatabaseUrl, databaseUrl, TEMPLATE_DATABASE } from './test-env.js';

/** Migrates a template database once per run; each test file clones it (CREATE DATABASE ... TEMPLATE). */
export default async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: baseDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  execFileSync('npx', ['--no-install', 'dbmate', '--migrations-dir', 'prisma/migrations', '--no-dump-schema', 'up'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(TEMPLATE_DATABASE) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
