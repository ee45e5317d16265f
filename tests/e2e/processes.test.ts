import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedByClockLogs, queuedCheckSlots, slotGaps } from '../support/check-jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { eventually, freePort, startApp, stopAll, waitForHttp, type AppProcess, type ProcessType } from '../support/processes.js';
import { createTestRedisPrefix } from '../support/redis.js';
import { TargetServer } from '../support/target-server.js';
import { appEnv } from '../support/test-env.js';

// Issue 5's multi-process guarantees, with real OS processes of the built apps: two web
// instances, workers and two clocks on one database and one Redis prefix.
describe('web, worker and clock as stateless OS processes', () => {
  const target = new TargetServer(6000);
  const redis = createTestRedisPrefix();
  const running: AppProcess[] = [];
  let db: TestDatabase;
  let ports: number[];
  let env: (extra?: Record<string, string>) => Record<string, string>;
  let web1: ApiClient;
  let web2: ApiClient;
  let okMonitor: { id: string; intervalSeconds: number };
  let slowMonitor: { id: string; intervalSeconds: number; nextCheckAt: string };
  const clockLogs: string[][] = [];

  const start = (type: ProcessType, instance: string, extra: Record<string, string> = {}) => {
    const p = startApp(type, instance, env(extra));
    running.push(p);
    return p;
  };
  const checksOf = async (client: ApiClient, id: string) => {
    const { status, json } = await client.request('GET', `/api/v1/monitors/${id}/checks`);
    expect(status).toBe(200);
    return json.checks as { slot: string; ok: boolean; statusCode: number | null }[];
  };
  beforeAll(async () => {
    await target.start();
    db = await createTestDatabase();
    ports = [await freePort(), await freePort()];
    env = (extra = {}) =>
      appEnv(db.name, redis.prefix, { LOG_LEVEL: 'info', CLOCK_TICK_SECONDS: '1', WORKER_LOCK_SECONDS: '5', SHUTDOWN_GRACE_SECONDS: '15', ...extra });
    const webs = [start('web', 'web.1', { PORT: String(ports[0]) }), start('web', 'web.2', { PORT: String(ports[1]) })];
    start('worker', 'worker.1');
    // Debug level: each clock logs how many checks it queued per tick.
    for (const name of ['clock.1', 'clock.2']) clockLogs.push(start('clock', name, { LOG_LEVEL: 'debug' }).lines);
    await Promise.all(ports.map((port) => waitForHttp(`http://127.0.0.1:${port}/readyz`)));
    expect(webs.every((w) => w.child.exitCode === null)).toBe(true);
    web1 = new ApiClient(`http://127.0.0.1:${ports[0]}`);
    web2 = web1.withBaseUrl(`http://127.0.0.1:${ports[1]}`);
  });

  afterAll(async () => {
    await stopAll(running);
    await target.stop();
    await db?.drop();
    await redis.cleanup();
  });

  it('a session made on web #1 is valid on web #2', async () => {
    await web1.signUp('ops@example.com', 'correct horse battery');
    web2 = web1.withBaseUrl(web2.baseUrl);
    const me = await web2.request('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe('ops@example.com');
  });

  it('a monitor created through web #2 gets check results within a few intervals', async () => {
    const created = await web2.request('POST', '/api/v1/monitors', { name: 'ok target', url: `${target.url}/ok`, intervalSeconds: 10 });
    expect(created.status).toBe(201);
    okMonitor = created.json;
    const checks = await eventually('a check result', async () => {
      const list = await checksOf(web2, okMonitor.id);
      return list.length > 0 ? list : undefined;
    }, 30_000);
    expect(checks[0]).toMatchObject({ ok: true, statusCode: 200 });
    const monitor = await web1.request('GET', `/api/v1/monitors/${okMonitor.id}`);
    expect(monitor.json.status).toBe('UP');
  });

  it('after kill -9 of web #1, web #2 keeps serving the session', async () => {
    const web1Process = running.find((p) => p.name === 'web.1')!;
    web1Process.kill('SIGKILL');
    expect((await web1Process.exited).signal).toBe('SIGKILL');
    const me = await web2.request('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    const list = await web2.request('GET', '/api/v1/monitors');
    expect(list.json.monitors.map((m: { id: string }) => m.id)).toContain(okMonitor.id);
  });

  it('a check cut off by kill -9 of its worker is finished by another worker', async () => {
    const arrived = target.nextRequest('/slow');
    const created = await web2.request('POST', '/api/v1/monitors', {
      name: 'slow target',
      url: `${target.url}/slow`,
      intervalSeconds: 30,
      timeoutSeconds: 20,
    });
    expect(created.status).toBe(201);
    slowMonitor = created.json;
    const firstSlot = slowMonitor.nextCheckAt;
    await arrived;
    const worker1 = running.find((p) => p.name === 'worker.1')!;
    worker1.kill('SIGKILL');
    await worker1.exited;
    const retried = target.nextRequest('/slow');
    start('worker', 'worker.2');
    // The job's lock (WORKER_LOCK_SECONDS=5) runs out; the new worker's stalled check takes it over.
    await retried;
    const checks = await eventually('the cut-off slot to get its result', async () => {
      const list = await checksOf(web2, slowMonitor.id);
      return list.some((c) => c.slot === firstSlot) ? list : undefined;
    }, 60_000);
    expect(checks.filter((c) => c.slot === firstSlot)[0]).toMatchObject({ ok: true, statusCode: 200 });
    // Checks of the other monitor go on with the new worker.
    const before = (await checksOf(web2, okMonitor.id)).length;
    await eventually('new results for the ok monitor', async () => ((await checksOf(web2, okMonitor.id)).length > before ? true : undefined), 30_000);
  });

  it('SIGTERM lets a worker finish the check in hand and exit 0', async () => {
    const arrived = target.nextRequest('/slow', 45_000);
    await arrived;
    const inFlightSince = Date.now();
    const worker2 = running.find((p) => p.name === 'worker.2')!;
    worker2.kill('SIGTERM');
    const { code } = await worker2.exited;
    expect(code).toBe(0);
    // It waited for the slow answer (6 s) instead of dropping the job.
    expect(Date.now() - inFlightSince).toBeGreaterThan(4000);
    const checks = await checksOf(web2, slowMonitor.id);
    expect(checks.length).toBeGreaterThanOrEqual(2);
    await start('worker', 'worker.3').waitForLine(/worker started/);
  });

  it('two clocks queue every due slot exactly once, with no slot missed', async () => {
    // A browser holding a live-update stream open must not hold up shutdown.
    const stream = await fetch(`${web2.baseUrl}/api/v1/events`, { headers: { cookie: web2.cookie! } });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const streamClosed = stream.body!.pipeTo(new WritableStream()).then(() => 'ended', () => 'reset');
    // Stop everything gracefully: every process exits 0 and the clocks' logs are complete.
    const survivors = running.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    // SIGKILL only well after the processes' own grace period (15 s), so a slow drain shows as exit 1.
    await stopAll(survivors, 30_000);
    for (const p of survivors) expect(await p.exited, `${p.name} exit`).toEqual({ code: 0, signal: null });
    // web.2 exited 0, so it did not sit out its grace period waiting for the stream: it ended it.
    expect(await streamClosed).toBe('ended');

    const slots = await queuedCheckSlots(redis.prefix);
    const totalJobs = [...slots.values()].reduce((n, list) => n + list.length, 0);
    const queuedByClocks = clockLogs.map(queuedByClockLogs);
    // Both clocks did work, and together they queued each job once: a slot claimed twice would
    // make the sum exceed the number of distinct job ids.
    expect(queuedByClocks.every((n) => n > 0)).toBe(true);
    expect(queuedByClocks[0]! + queuedByClocks[1]!).toBe(totalJobs);
    expect(slotGaps(slots.get(okMonitor.id) ?? [], okMonitor.intervalSeconds)).toEqual([]);
    expect((slots.get(okMonitor.id) ?? []).length).toBeGreaterThanOrEqual(4);
  });

  it('after a restart of every process, the user, session, monitors and results are all there', async () => {
    const slotsBefore = await queuedCheckSlots(redis.prefix);
    const resultsBefore = await db.prisma.checkResult.count();
    const port = await freePort();
    start('web', 'web.1', { PORT: String(port) });
    start('worker', 'worker.1');
    start('clock', 'clock.1');
    await waitForHttp(`http://127.0.0.1:${port}/readyz`);
    const again = web2.withBaseUrl(`http://127.0.0.1:${port}`);
    const me = await again.request('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe('ops@example.com');
    const list = await again.request('GET', '/api/v1/monitors');
    expect(list.json.monitors.map((m: { id: string }) => m.id).sort()).toEqual([okMonitor.id, slowMonitor.id].sort());
    expect(await db.prisma.checkResult.count()).toBeGreaterThanOrEqual(resultsBefore);
    // Every slot queued before the restart gets its result: nothing acknowledged was lost.
    await eventually('every queued slot to have a result', async () => {
      for (const [monitorId, slots] of slotsBefore) {
        const stored = await db.prisma.checkResult.findMany({ where: { monitorId }, select: { slot: true } });
        const have = new Set(stored.map((r) => r.slot.getTime()));
        if (slots.some((s) => !have.has(s))) return undefined;
      }
      return true;
    }, 60_000);
  });
});
