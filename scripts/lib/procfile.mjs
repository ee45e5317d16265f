import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/** The Procfile's process types and their commands, in file order. */
export function readProcfile(path = join(ROOT, 'Procfile')) {
  const types = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    if (match) types.set(match[1], match[2]);
  }
  return types;
}

const MAX_PER_TYPE = 100;

/**
 * Parses a formation such as `web=3 worker=2 clock=1` (spaces or commas between entries) against
 * the Procfile's long-running types. Throws one clear line for anything it cannot use.
 */
export function parseFormation(text, procfileTypes) {
  const formation = {};
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const match = /^([A-Za-z0-9_-]+)=(\d+)$/.exec(entry);
    if (!match) throw new Error(`bad formation entry "${entry}": expected TYPE=COUNT, e.g. web=3`);
    const [, type, count] = match;
    if (type === 'release' || !procfileTypes.has(type)) {
      const known = [...procfileTypes.keys()].filter((t) => t !== 'release').join(', ');
      throw new Error(`unknown process type "${type}": the Procfile has ${known}`);
    }
    const n = Number(count);
    if (n > MAX_PER_TYPE) throw new Error(`${type}=${n}: at most ${MAX_PER_TYPE} processes per type`);
    formation[type] = n;
  }
  return formation;
}

export function formatFormation(formation) {
  return Object.entries(formation)
    .map(([type, n]) => `${type}=${n}`)
    .join(' ');
}
