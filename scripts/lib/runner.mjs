import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createBalancer } from './balancer.mjs';
import { formatFormation } from './procfile.mjs';
import { ROOT } from './paths.mjs';

const BACKOFF_START_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/** A process that ran this long before it crashed starts again from the shortest back-off. */
const HEALTHY_RUN_MS = 30_000;
const READINESS_POLL_MS = 500;
/** Time between taking a web instance out of the balancer and sending it SIGTERM. */
const ROUTING_DRAIN_MS = 500;

const COLOURS = [36, 33, 32, 35, 34, 31];

/**
 * Runs a formation of Procfile process types as child processes, foreman-style: each instance
 * gets INSTANCE_ID `<type>.<n>` and its own port, every output line is prefixed with it, crashed
 * instances restart with back-off, and web instances sit behind one round-robin front port.
 */
export function createRunner({ procfile, env, frontPort, host = '0.0.0.0', graceMs, output = process.stdout }) {
  const instances = new Map();
  const balancer = createBalancer({ log: (m) => log('runner', m) });
  const typeColour = new Map();
  let stopping = false;

  function colour(type) {
    if (!typeColour.has(type)) typeColour.set(type, COLOURS[typeColour.size % COLOURS.length]);
    return typeColour.get(type);
  }

  function log(name, line) {
    const label = name.padEnd(10);
    const tint = output.isTTY ? `\x1b[${name === 'runner' ? 1 : colour(name.split('.')[0])}m${label}|\x1b[0m` : `${label}|`;
    output.write(`${tint} ${line}\n`);
  }

  function portsFor(type, n) {
    if (type === 'web') return { PORT: String(frontPort + n) };
    const offset = { worker: 100, clock: 200 }[type];
    return offset === undefined ? {} : { METRICS_PORT: String(frontPort + offset + n) };
  }

  function webTarget(instance) {
    return `http://127.0.0.1:${instance.env.PORT}`;
  }

  function spawnInstance(instance) {
    const child = spawn('sh', ['-c', `exec ${procfile.get(instance.type)}`], {
      cwd: ROOT,
      env: { ...env, ...instance.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    instance.child = child;
    instance.startedAt = Date.now();
    instance.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => log(instance.id, line));
    }
    log('runner', `${instance.id} started (pid ${child.pid}${instance.env.PORT ? `, port ${instance.env.PORT}` : ''})`);
    if (instance.type === 'web') watchReadiness(instance, child);
    void instance.exited.then(({ code, signal }) => onExit(instance, child, code, signal));
  }

  /** Adds a web instance to the balancer while its /readyz answers 200, removes it otherwise. */
  function watchReadiness(instance, child) {
    const target = webTarget(instance);
    const poll = async () => {
      if (instance.child !== child || instance.stopping) return;
      const ready = await fetch(`${target}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (instance.child !== child || instance.stopping) return;
      if (ready !== instance.ready) {
        instance.ready = ready;
        if (ready) balancer.add(target);
        else balancer.remove(target);
        log('runner', `${instance.id} ${ready ? 'is ready: receiving requests' : 'is not ready: no requests routed to it'}`);
      }
      instance.readinessTimer = setTimeout(poll, READINESS_POLL_MS);
    };
    instance.ready = false;
    void poll();
  }

  function onExit(instance, child, code, signal) {
    if (instance.child !== child) return;
    clearTimeout(instance.readinessTimer);
    if (instance.type === 'web') balancer.remove(webTarget(instance));
    instance.child = null;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    instance.lastExit = { code, signal };
    if (instance.stopping || stopping) {
      log('runner', `${instance.id} stopped (${how})`);
      return;
    }
    const ranMs = Date.now() - instance.startedAt;
    instance.backoffMs = ranMs >= HEALTHY_RUN_MS ? BACKOFF_START_MS : Math.min((instance.backoffMs ?? BACKOFF_START_MS / 2) * 2, BACKOFF_MAX_MS);
    instance.restarts = (instance.restarts ?? 0) + 1;
    log('runner', `${instance.id} crashed (${how}); restart #${instance.restarts} in ${instance.backoffMs / 1000} s`);
    instance.restartTimer = setTimeout(() => {
      if (!stopping && !instance.stopping) spawnInstance(instance);
    }, instance.backoffMs);
  }

  function addInstance(type, n) {
    const id = `${type}.${n}`;
    const instance = { id, type, n, env: { INSTANCE_ID: id, ...portsFor(type, n) }, child: null, stopping: false };
    instances.set(id, instance);
    spawnInstance(instance);
    return instance;
  }

  /** SIGTERM, then SIGKILL after the grace period. Resolves with how the process ended. */
  async function stopInstance(instance) {
    instance.stopping = true;
    clearTimeout(instance.restartTimer);
    clearTimeout(instance.readinessTimer);
    const child = instance.child;
    if (!child) return instance.lastExit ?? { code: 0, signal: null };
    if (instance.type === 'web') {
      balancer.remove(webTarget(instance));
      await new Promise((resolve) => setTimeout(resolve, ROUTING_DRAIN_MS));
    }
    child.kill('SIGTERM');
    const killer = setTimeout(() => {
      log('runner', `${instance.id} still running after ${graceMs / 1000} s; sending SIGKILL`);
      child.kill('SIGKILL');
    }, graceMs);
    const result = await instance.exited;
    clearTimeout(killer);
    return result;
  }

  function ofType(type) {
    return [...instances.values()].filter((i) => i.type === type).sort((a, b) => a.n - b.n);
  }

  function waitUntilReady(instance, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (instance.ready) return resolve();
        if (Date.now() > deadline) return reject(new Error(`${instance.id} did not become ready within ${timeoutMs / 1000} s`));
        setTimeout(check, 100);
      };
      check();
    });
  }

  const runner = {
    log,
    /** Runs the Procfile's release command (migrations) to completion, like a release phase. */
    release() {
      const command = procfile.get('release');
      if (!command) return Promise.resolve();
      log('runner', `release: ${command}`);
      return new Promise((resolve, reject) => {
        const child = spawn('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (l) => log('release', l));
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`release command failed with exit code ${code}`))));
      });
    },
    async start(formation) {
      await balancer.listen(frontPort, host);
      log('runner', `front port ${frontPort}: round-robin over ready web processes`);
      for (const [type, count] of Object.entries(formation)) await runner.scale(type, count);
    },
    /** Adds or gracefully stops instances of one type until `count` run; other types are untouched. */
    async scale(type, count) {
      const current = ofType(type);
      if (count > current.length) {
        const used = new Set(current.map((i) => i.n));
        for (let n = 1, added = current.length; added < count; n++) {
          if (used.has(n)) continue;
          addInstance(type, n);
          added++;
        }
      } else if (count < current.length) {
        const surplus = current.slice(count);
        log('runner', `scaling ${type} to ${count}: stopping ${surplus.map((i) => i.id).join(', ')}`);
        await Promise.all(
          surplus.map(async (instance) => {
            await stopInstance(instance);
            instances.delete(instance.id);
          }),
        );
      }
    },
    /** Restarts every instance of `type` one at a time, waiting for each web instance to be ready again. */
    async restart(type) {
      for (const instance of ofType(type)) {
        log('runner', `restarting ${instance.id}`);
        await stopInstance(instance);
        instance.stopping = false;
        instance.backoffMs = undefined;
        spawnInstance(instance);
        if (type === 'web') await waitUntilReady(instance);
      }
    },
    formation() {
      const counts = {};
      for (const instance of instances.values()) counts[instance.type] = (counts[instance.type] ?? 0) + 1;
      return counts;
    },
    describe() {
      return formatFormation(runner.formation());
    },
    /** Stops everything: SIGTERM to all, SIGKILL after the grace period. True when all exited cleanly. */
    async stop() {
      stopping = true;
      const results = await Promise.all([...instances.values()].map((instance) => stopInstance(instance)));
      await balancer.close();
      return results.every(({ code, signal }) => code === 0 || (code === null && signal === null));
    },
  };
  return runner;
}
