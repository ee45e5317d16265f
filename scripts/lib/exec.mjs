import { spawn } from 'node:child_process';
import { ROOT } from './paths.mjs';
import { childEnv } from './settings.mjs';

/** Runs a command in the repository root with inherited output; rejects with one line on failure. */
export function exec(command, args, { env = childEnv(), quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
    child.once('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${[command, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}
