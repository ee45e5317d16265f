import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue, queuedByClockLogs, queuedCheckSlots, slotGaps } from '../support/check-jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { eventually, sleep, startCommand, type AppProcess } from '../support/processes.js';
import { createTestRedisPrefix } from '../support/redis.js';
import { TargetServer } from '../support/target-server.js';
import { redisUrl } from '../support/test-env.js';

// Issue 3's guarantees through the real local runner (`npm start` = scripts/start.mjs): a
// formation of OS processes behind one round-robin front port, scaled and restarted while it works.
describe('the formation runner', () => {
  const target = new TargetServer();
  const redis = createTestRedisPrefix();
  // Ports: front = base, web.n = base+n, worker.n metrics = base+100+n, clock.n = base+200+n.
  const base = 20_000 + Math.floor(Math.random() * 200) * 100;
  const front = `http://127.0.0.1:${base}`;
  let db: TestDatabase;
  let env: Record<string, string>;
  let runner: AppProcess;
  let admin: ApiClient;
  const monitors: { id: string; intervalSeconds: number }[] = [];

  const script = (name: string, args: string[]) => startCommand(name, process.execPath, [`scripts/${name}.mjs`, ...args], env);
  const runScript = async (name: string, args: string[]) => {
    const p = script(name, args);
    const { code } = await p.exited;
    return { code, output: p.lines.join('\n') };
  };
  /** The app's own output lines of one instance, without the runner's prefix. */
  const linesOf = (instance: string) =>
    runner.lines.filter((l) => l.startsWith(`${instance} `)).map((l) => l.slice(l.indexOf('| ') + 2));
  const pidOf = (instance: string) => {
    const started = runner.lines.filter((l) => l.includes(`${instance} started (pid`));
    return Number(/pid (\d+)/.exec(started.at(-1) ?? '')?.[1]);
  };
  const metric = async (port: number, name: string, labels: string) => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  const ops = async () => {
    const { status, json } = await admin.request('GET', '/api/v1/ops');
    expect(status).toBe(200);
    return json as { formation: Record<string, number>; queues: { queue: string; waiting: number; oldestWaitingAgeMs: number | null }[]; clockLagMs: number | null };
  };

  beforeAll(async () => {
    await target.start();
    db = await createTestDatabase();
    env = {
      WATCHPOST_SKIP_BUILD: '1',
      WATCHPOST_STATE_FILE: join(mkdtempSync(join(tmpdir(), 'wp-runner-')), 'runner.json'),
      PORT: String(base),
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      SESSION_SECRET: 'formation-test-secret-formation-test-secret',
      NODE_ENV: 'test',
      // Debug: each clock logs how many checks it queued per tick.
      LOG_LEVEL: 'debug',
      CLOCK_TICK_SECONDS: '1',
      RETENTION_CRON: '*/2 * * * * *',
      WORKER_LOCK_SECONDS: '5',
      SHUTDOWN_GRACE_SECONDS: '10',
      READINESS_DRAIN_SECONDS: '1',
    };
    runner = script('start', ['web=2', 'worker=1', 'clock=3']);
    await runner.waitForLine(/running web=2 worker=1 clock=3: open http:\/\/localhost:\d+/, 60_000);
    await runner.waitForLine(/web\.2 is ready/, 30_000);
    await runner.waitForLine(/web\.1 is ready/, 30_000);
    admin = new ApiClient(front);
  });

  afterAll(async () => {
    if (runner.child.exitCode === null) {
      runner.kill('SIGTERM');
      await Promise.race([runner.exited, sleep(30_000)]);
      runner.kill('SIGKILL');
    }
    await target.stop();
    await db?.drop();
    await redis.cleanup();
  });

  it('runs each type as its own processes, logs prefixed by instance, and shows them in `npm run ps`', async () => {
    expect(linesOf('web.1').some((l) => l.includes('"instance":"web.1"'))).toBe(true);
    expect(linesOf('clock.2').some((l) => l.includes('"instance":"clock.2"'))).toBe(true);
    const ps = await eventually('all six processes in npm run ps', async () => {
      const { code, output } = await runScript('ps', []);
      expect(code).toBe(0);
      return /formation: clock=3 web=2 worker=1/.test(output) ? output : undefined;
    }, 20_000);
    for (const instance of ['web.1', 'web.2', 'worker.1', 'clock.1', 'clock.2', 'clock.3']) expect(ps).toMatch(new RegExp(`^${instance.replace('.', '\\.')}\\s+up\\s`, 'm'));
    expect(new Set([pidOf('web.1'), pidOf('web.2'), pidOf('worker.1')]).size).toBe(3);
  });

  it('balances requests round-robin over the web processes, with no stickiness', async () => {
    await admin.signUp('admin@example.com', 'correct horse battery');
    for (let i = 0; i < 20; i++) expect((await admin.request('GET', '/api/v1/me')).status).toBe(200);
    const served = [await metric(base + 1, 'watchpost_http_requests_total', 'route="/api/v1/me"'), await metric(base + 2, 'watchpost_http_requests_total', 'route="/api/v1/me"')];
    // Same session cookie every time, yet both processes served it, in turn.
    expect(served[0]! + served[1]!).toBe(20);
    expect(Math.abs(served[0]! - served[1]!)).toBeLessThanOrEqual(1);
  });

  it('shows the formation, queue depths and clock lag to an admin, and serves metrics per process', async () => {
    const status = await ops();
    expect(status.formation).toEqual({ web: 2, worker: 1, clock: 3 });
    expect(status.queues.map((q) => q.queue).sort()).toEqual(['checks', 'maintenance']);
    expect(status.clockLagMs).not.toBeNull();
    const clockMetrics = await (await fetch(`http://127.0.0.1:${base + 201}/metrics`)).text();
    expect(clockMetrics).toContain('watchpost_scheduling_lag_seconds');
    expect(clockMetrics).toMatch(/watchpost_queue_jobs\{[^}]*queue="checks"/);
    const workerMetrics = await (await fetch(`http://127.0.0.1:${base + 101}/metrics`)).text();
    expect(workerMetrics).toContain('watchpost_check_latency_seconds');
    expect(workerMetrics).toContain('process_type="worker"');
  });

  it('scales worker 1 → 3 → 1 under a steady check load with no check lost or run twice', async () => {
    for (let i = 0; i < 15; i++) {
      const { status, json } = await admin.request('POST', '/api/v1/monitors', { name: `load ${i}`, url: `${target.url}/ok?m=${i}`, intervalSeconds: 10 });
      expect(status).toBe(201);
      monitors.push(json);
    }
    // The phases are long enough that the three clocks run side by side for about three minutes
    // over the whole file, with 15 monitors due every 10 s.
    await sleep(30_000);
    const up = await runScript('scale', ['worker=3']);
    expect(up.code).toBe(0);
    expect(up.output).toContain('worker=3');
    await eventually('three workers in the formation', async () => ((await ops()).formation.worker === 3 ? true : undefined), 20_000);
    await sleep(45_000);
    const down = await runScript('scale', ['worker=1']);
    expect(down.code).toBe(0);
    // Scaling down stops the surplus gracefully: they exit 0, they are not killed.
    expect(runner.lines.some((l) => /worker\.3 stopped \(exit code 0\)/.test(l))).toBe(true);
    expect(runner.lines.some((l) => /worker\.2 stopped \(exit code 0\)/.test(l))).toBe(true);
    await sleep(30_000);

    const slots = await queuedCheckSlots(redis.prefix);
    const settledBefore = Date.now() - 5000;
    for (const monitor of monitors) {
      const queued = slots.get(monitor.id) ?? [];
      expect(queued.length, monitor.id).toBeGreaterThanOrEqual(3);
      expect(slotGaps(queued, monitor.intervalSeconds), monitor.id).toEqual([]);
      const stored = await db.prisma.checkResult.findMany({ where: { monitorId: monitor.id }, select: { slot: true } });
      const storedSlots = stored.map((r) => r.slot.getTime());
      const missing = queued.filter((s) => s < settledBefore && !storedSlots.includes(s));
      expect(missing, `${monitor.id} lost no check`).toEqual([]);
    }
    // No check ran twice: each monitor's target was requested once per stored result (waiting for a
    // moment when no check is in flight). A job run twice would leave an extra request for good.
    await eventually('as many target requests as stored results, per monitor', async () => {
      const counts = await db.prisma.checkResult.groupBy({ by: ['monitorId'], _count: { _all: true } });
      const stored = new Map(counts.map((c) => [c.monitorId, c._count._all]));
      return monitors.every((m, i) => target.hitsByUrl.get(`/ok?m=${i}`) === stored.get(m.id)) ? true : undefined;
    }, 15_000, 200);
    // The lag recovers: nothing is left waiting long.
    await eventually('the checks queue to drain', async () => {
      const checks = (await ops()).queues.find((q) => q.queue === 'checks')!;
      return checks.oldestWaitingAgeMs === null || checks.oldestWaitingAgeMs < 3000 ? true : undefined;
    }, 20_000);
  });

  it('restarts a crashed process with back-off', async () => {
    const before = pidOf('worker.1');
    process.kill(before, 'SIGKILL');
    await runner.waitForLine(/worker\.1 crashed \(signal SIGKILL\); restart #1 in 1 s/, 10_000);
    await eventually('worker.1 to run again', async () => (pidOf('worker.1') !== before ? true : undefined), 15_000);
    await eventually('worker.1 back in the formation', async () => ((await ops()).formation.worker === 1 ? true : undefined), 20_000);
  });

  it('restarts every web process one by one under authenticated load with zero failed requests', async () => {
    const pidsBefore = [pidOf('web.1'), pidOf('web.2')];
    const statuses = new Map<number | string, number>();
    let loading = true;
    const loop = async () => {
      while (loading) {
        const status = await admin.request('GET', '/api/v1/monitors').then(
          (r) => r.status,
          (e: Error) => e.message,
        );
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    await sleep(1000);
    const restart = await runScript('restart', ['web']);
    await sleep(1000);
    loading = false;
    await Promise.all(loops);
    expect(restart.code).toBe(0);
    expect([pidOf('web.1'), pidOf('web.2')].some((pid, i) => pid === pidsBefore[i])).toBe(false);
    expect(Object.fromEntries(statuses)).toEqual({ 200: expect.any(Number) });
    expect(statuses.get(200)).toBeGreaterThan(50);
  });

  it('ran each maintenance job once per period although three clocks scheduled it', async () => {
    const maintenance = openQueue('maintenance', redis.prefix);
    try {
      const jobs = await maintenance.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'], 0, -1);
      // RETENTION_CRON fired every 2 s in every clock for minutes; the daily job exists once.
      expect(jobs.map((j) => j.id)).toEqual([`retention-${new Date().toISOString().slice(0, 10)}-00-00-00`]);
      expect(await jobs[0]!.getState()).toBe('completed');
    } finally {
      await maintenance.close();
    }
  });

  it('stops every process gracefully on SIGTERM and exits 0; the three clocks queued each slot exactly once', async () => {
    const pids = ['web.1', 'web.2', 'worker.1', 'clock.1', 'clock.2', 'clock.3'].map(pidOf);
    runner.kill('SIGTERM');
    const { code } = await runner.exited;
    expect(code).toBe(0);
    expect(runner.lines.some((l) => l.includes('all processes exited cleanly'))).toBe(true);
    for (const pid of pids) expect(() => process.kill(pid, 0), `pid ${pid} is gone`).toThrow();

    const slots = await queuedCheckSlots(redis.prefix);
    const totalJobs = [...slots.values()].reduce((n, list) => n + list.length, 0);
    // A slot claimed by two clocks would make the sum exceed the number of distinct job ids.
    const queued = ['clock.1', 'clock.2', 'clock.3'].map((c) => queuedByClockLogs(linesOf(c)));
    expect(queued.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(queued.reduce((a, b) => a + b, 0)).toBe(totalJobs);
    for (const monitor of monitors) expect(slotGaps(slots.get(monitor.id) ?? [], monitor.intervalSeconds), monitor.id).toEqual([]);
  });
});
