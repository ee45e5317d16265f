import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from './exec.mjs';
import { say } from './console.mjs';
import { ROOT } from './paths.mjs';

/**
 * Installs dependencies when node_modules is missing or older than the lockfile. `npm install`
 * (not `npm ci`) because the registry mirror here lacks other platforms' optional packages that
 * `npm ci` insists on; the lockfile still pins every version, and allowScripts decides scripts.
 */
export async function ensureInstalled() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing dependencies (npm install)');
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
}

/** The build phase: type-check, compile, generate the Prisma client, compile assets (turbo caches it). */
export async function build() {
  say('building (turbo run build)');
  await exec('npx', ['--no-install', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}
