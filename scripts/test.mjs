// `npm test [-- vitest args]`: install, build, find or start Postgres and Redis (as `npm start`
// does), then run every test tier with vitest against them.
import { spawn } from 'node:child_process';
import { runMain } from './lib/console.mjs';
import { build, ensureInstalled } from './lib/install.mjs';
import { ROOT } from './lib/paths.mjs';
import { scriptSettings } from './lib/settings.mjs';

runMain(async () => {
  const settings = scriptSettings();
  await ensureInstalled();
  await build();
  // Loaded only now: on a fresh clone its dependencies exist only after the install above.
  const { resolveServices } = await import('./lib/services.mjs');
  const services = await resolveServices({ databaseUrl: settings.databaseUrl, redisUrl: settings.redisUrl, database: null });
  const vitest = spawn('npx', ['--no-install', 'vitest', 'run', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl },
  });
  const forward = (signal) => vitest.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise((resolve) => vitest.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  await services.stop();
  process.exit(code);
});
