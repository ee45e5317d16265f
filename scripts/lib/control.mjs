import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { scriptSettings } from './settings.mjs';

// Where a running `npm start` says how to reach it; `npm run scale` and `npm run ps` read it.
const stateFile = () => scriptSettings().stateFile;

export function writeState(state) {
  mkdirSync(dirname(stateFile()), { recursive: true });
  writeFileSync(stateFile(), `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState() {
  rmSync(stateFile(), { force: true });
}

/** The running runner's state, or null when none runs from this checkout. */
export function readState() {
  try {
    const state = JSON.parse(readFileSync(stateFile(), 'utf8'));
    process.kill(state.pid, 0);
    return state;
  } catch {
    return null;
  }
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A loopback-only control endpoint of the runner: `POST /scale` with a formation such as
 * `worker=4`, `POST /restart` with a process type (rolling restart), `GET /formation`.
 */
export async function serveControl({ scale, restart, formation }) {
  const server = createServer(async (req, res) => {
    const reply = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      if (req.method === 'GET' && req.url === '/formation') return reply(200, { formation: formation() });
      if (req.method === 'POST' && req.url === '/scale') return reply(200, { formation: await scale(await readBody(req)) });
      if (req.method === 'POST' && req.url === '/restart') return reply(200, { formation: await restart(await readBody(req)) });
      return reply(404, { error: 'unknown control request' });
    } catch (error) {
      return reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Sends one control request to the running runner; throws one line when none runs or it refuses. */
export async function sendControl(path, body) {
  const state = readState();
  if (!state) throw new Error('no formation is running from this checkout: start one with `npm start`');
  const response = await fetch(`${state.controlUrl}${path}`, { method: 'POST', body });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error);
  return answer;
}
