// Generates Prisma Client from prisma/schema.prisma (the build phase; never at runtime).
// Prisma 7's CLI downloads a schema-engine binary before every command, which fails offline;
// `generate` never runs that engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
// executable (node itself) lets it work everywhere. Set for this step only.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(result.status ?? 1);
