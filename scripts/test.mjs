// `npm test [-- vitest args]`: install, build, find or start Postgres and Redis (as `npm start`
// does), then run every test tier with vitest against them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runMain } from './lib/console.mjs';
import { build, ensureInstalled } from './lib/install.mjs';
import { ROOT } from './lib/paths.mjs';
import { childEnv, scriptSettings } from './lib/settings.mjs';

/** The Debian tools the browser and deploy tests use besides Node: named up front, not mid-run. */
function missingTestTools() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  for (const [command, pkg] of [['nginx', 'nginx-light'], ['docker-compose', 'docker-compose']]) {
    if (spawnSync(command, ['-v'], { stdio: 'ignore' }).error) missing.push(pkg);
  }
  return missing;
}

runMain(async () => {
  const missing = missingTestTools();
  if (missing.length > 0) {
    throw new Error(`the browser and deploy tests need ${missing.join(', ')}: apt-get install ${missing.join(' ')} (.ci/run does this)`);
  }
  const settings = scriptSettings();
  await ensureInstalled();
  await build();
  // Loaded only now: on a fresh clone its dependencies exist only after the install above.
  const { resolveServices } = await import('./lib/services.mjs');
  const services = await resolveServices({ databaseUrl: settings.databaseUrl, redisUrl: settings.redisUrl, database: null });
  const vitest = spawn('npx', ['--no-install', 'vitest', 'run', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: childEnv({ DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl }),
  });
  const forward = (signal) => vitest.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise((resolve) => vitest.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  await services.stop();
  process.exit(code);
});
