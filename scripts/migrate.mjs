// `npm run migrate`: applies prisma/migrations with dbmate (the Procfile's `release` command) to
// DATABASE_URL, or to the local or embedded Postgres that `npm start` would use.
import { runMain, say } from './lib/console.mjs';
import { exec } from './lib/exec.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { readProcfile } from './lib/procfile.mjs';
import { resolveDatabase } from './lib/services.mjs';
import { scriptSettings } from './lib/settings.mjs';

runMain(async () => {
  await ensureInstalled();
  const { databaseUrl } = scriptSettings();
  const postgres = await resolveDatabase({ databaseUrl, database: 'watchpost' });
  try {
    say(`applying migrations (Postgres: ${postgres.source})`);
    await exec('sh', ['-c', readProcfile().get('release')], { env: { ...process.env, DATABASE_URL: postgres.databaseUrl } });
  } finally {
    await postgres.stop();
  }
});
