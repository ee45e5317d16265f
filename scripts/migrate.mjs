// `npm run migrate`: applies prisma/migrations with dbmate (the Procfile's `release` command) to
// DATABASE_URL, or to the local or embedded Postgres that `npm start` would use.
import { runMain, say } from './lib/console.mjs';
import { exec } from './lib/exec.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { readProcfile } from './lib/procfile.mjs';
import { childEnv, scriptSettings } from './lib/settings.mjs';

runMain(async () => {
  await ensureInstalled();
  // Loaded only now: on a fresh clone its dependencies exist only after the install above.
  const { resolveDatabase } = await import('./lib/services.mjs');
  const { databaseUrl } = scriptSettings();
  const postgres = await resolveDatabase({ databaseUrl, database: 'watchpost' });
  try {
    say(`applying migrations (Postgres: ${postgres.source})`);
    await exec('sh', ['-c', readProcfile().get('release')], { env: childEnv({ DATABASE_URL: postgres.databaseUrl }) });
  } finally {
    await postgres.stop();
  }
});
