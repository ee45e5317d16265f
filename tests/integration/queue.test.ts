import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '@watchpost/config';
import { checkJobId, periodicJobId } from '@watchpost/domain';
import { createQueues, enqueueChecks, enqueueRetention, JOBS, QUEUES, queueDepths, type Queues } from '@watchpost/queue';
import { createRedis, type Redis } from '@watchpost/redis';
import { bullConnection, readFormation, startPresence } from '@watchpost/runtime';
import { createTestRedisPrefix } from '../support/redis.js';
import { appEnv, redisUrl } from '../support/test-env.js';

const redisPrefix = createTestRedisPrefix();
const { prefix, client } = redisPrefix;
// The same connection settings the clock and web use to produce jobs.
const config = parseConfig('clock', appEnv('unused', prefix));
const connection = bullConnection(config, 'producer');

let queues: Queues;
let extraQueues: Queue[] = [];
let workers: Worker[] = [];

beforeAll(() => {
  queues = createQueues(connection, prefix);
});

afterEach(async () => {
  // Each test starts from empty queues.
  await Promise.all(workers.map((w) => w.close()));
  workers = [];
  for (const queue of [queues.checks, queues.maintenance, ...extraQueues]) await queue.obliterate({ force: true });
});

afterAll(async () => {
  await Promise.all(extraQueues.map((q) => q.close()));
  await queues?.close();
  await redisPrefix.cleanup();
});

const slot = (minute: number) => new Date(Date.UTC(2030, 0, 1, 0, minute));

describe('enqueueChecks', () => {
  it('adds one job per monitor and slot however often the same slots are enqueued', async () => {
    const due = [
      { monitorId: randomUUID(), slot: slot(0) },
      { monitorId: randomUUID(), slot: slot(0) },
      { monitorId: randomUUID(), slot: slot(1) },
    ];
    await enqueueChecks(queues, due);
    await enqueueChecks(queues, due);
    await Promise.all([enqueueChecks(queues, due), enqueueChecks(queues, due)]);

    expect(await queues.checks.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 3, delayed: 0, active: 0 });
    for (const { monitorId, slot: s } of due) {
      const job = await queues.checks.getJob(checkJobId(monitorId, s));
      expect(job, `job of ${monitorId}`).toBeDefined();
      expect(job!.name).toBe(JOBS.check);
      expect(job!.data).toEqual({ monitorId, slot: s.getTime() });
      expect(job!.opts.attempts).toBe(5);
    }
  });

  it('adds only the new slots when some were already queued', async () => {
    const monitorId = randomUUID();
    await enqueueChecks(queues, [{ monitorId, slot: slot(0) }]);
    await enqueueChecks(queues, [
      { monitorId, slot: slot(0) },
      { monitorId, slot: slot(1) },
    ]);
    const jobs = await queues.checks.getJobs(['wait']);
    expect(jobs.map((j) => j.id).sort()).toEqual([checkJobId(monitorId, slot(0)), checkJobId(monitorId, slot(1))].sort());
  });

  it('keeps its jobs under the key prefix', async () => {
    const monitorId = randomUUID();
    await enqueueChecks(queues, [{ monitorId, slot: slot(5) }]);
    expect(await client.exists(`${prefix}:${QUEUES.checks}:${checkJobId(monitorId, slot(5))}`)).toBe(1);
    const other = createQueues(connection, `${prefix}-other`);
    try {
      expect(await other.checks.getJobCounts('waiting')).toEqual({ waiting: 0 });
    } finally {
      await other.checks.obliterate({ force: true });
      await other.close();
    }
  });

  it('does nothing for no due checks and refuses a payload that is not a monitor id', async () => {
    await enqueueChecks(queues, []);
    await expect(enqueueChecks(queues, [{ monitorId: 'not-a-uuid', slot: slot(0) }])).rejects.toThrow();
    expect(await queues.checks.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });
});

describe('enqueueRetention', () => {
  it('adds the retention job of one day once however many clocks ask', async () => {
    const day = new Date('2030-01-02T00:00:00Z');
    await enqueueRetention(queues, day, 30);
    await Promise.all([enqueueRetention(queues, day, 30), enqueueRetention(queues, day, 30)]);

    expect(await queues.maintenance.getJobCounts('waiting')).toEqual({ waiting: 1 });
    const job = await queues.maintenance.getJob(periodicJobId(JOBS.retention, day));
    expect(job).toBeDefined();
    expect(job!.name).toBe(JOBS.retention);
    expect(job!.data).toEqual({ olderThanDays: 30 });
  });

  it('adds one job per day', async () => {
    await enqueueRetention(queues, new Date('2030-01-02T00:00:00Z'), 30);
    await enqueueRetention(queues, new Date('2030-01-03T00:00:00Z'), 30);
    expect(await queues.maintenance.getJobCounts('waiting')).toEqual({ waiting: 2 });
    expect(await queues.checks.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });

  it('refuses a retention that is not a positive number of days', async () => {
    await expect(enqueueRetention(queues, new Date('2030-01-02T00:00:00Z'), 0)).rejects.toThrow();
    expect(await queues.maintenance.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });
});

describe('queueDepths', () => {
  it('reports empty queues with no oldest job', async () => {
    expect(await queueDepths([queues.checks, queues.maintenance])).toEqual([
      { queue: 'checks', waiting: 0, active: 0, delayed: 0, failed: 0, oldestWaitingAgeMs: null },
      { queue: 'maintenance', waiting: 0, active: 0, delayed: 0, failed: 0, oldestWaitingAgeMs: null },
    ]);
  });

  it('counts waiting and delayed jobs and measures the age of the oldest waiting one', async () => {
    await enqueueChecks(queues, [{ monitorId: randomUUID(), slot: slot(0) }]);
    const [oldest] = await queues.checks.getJobs(['wait']);
    // Later jobs get a later timestamp.
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(oldest!.timestamp + 2));
    await enqueueChecks(queues, [
      { monitorId: randomUUID(), slot: slot(1) },
      { monitorId: randomUUID(), slot: slot(2) },
    ]);
    await queues.checks.add(JOBS.check, { monitorId: randomUUID(), slot: slot(3).getTime() }, { delay: 3_600_000 });
    const timestamps = (await queues.checks.getJobs(['wait'])).map((j) => j.timestamp);
    expect(Math.min(...timestamps)).toBe(oldest!.timestamp);
    expect(Math.max(...timestamps)).toBeGreaterThan(oldest!.timestamp);

    const now = new Date(oldest!.timestamp + 42_000);
    const [checks, maintenance] = await queueDepths([queues.checks, queues.maintenance], now);
    expect(checks).toEqual({ queue: 'checks', waiting: 3, active: 0, delayed: 1, failed: 0, oldestWaitingAgeMs: 42_000 });
    expect(maintenance).toMatchObject({ queue: 'maintenance', waiting: 0, oldestWaitingAgeMs: null });
  });

  it('never reports a negative age', async () => {
    await enqueueRetention(queues, new Date('2030-01-02T00:00:00Z'), 30);
    const [maintenance] = await queueDepths([queues.maintenance], new Date(0));
    expect(maintenance!.oldestWaitingAgeMs).toBe(0);
  });

  it('counts failed jobs once a worker has given up on them', async () => {
    const scratch = new Queue(`scratch-${randomUUID()}`, { connection, prefix });
    extraQueues.push(scratch);
    await scratch.add('doomed', {}, { attempts: 1 });
    await scratch.add('doomed', {}, { attempts: 1 });
    const failures: string[] = [];
    const worker = new Worker(
      scratch.name,
      async (): Promise<void> => {
        throw new Error('target exploded');
      },
      { connection: { ...connection, maxRetriesPerRequest: null, enableOfflineQueue: true }, prefix },
    );
    workers.push(worker);
    worker.on('failed', (_job, error) => failures.push(error.message));
    await vi.waitFor(() => expect(failures).toHaveLength(2), { timeout: 10_000 });
    const [depth] = await queueDepths([scratch]);
    expect(depth).toMatchObject({ waiting: 0, active: 0, failed: 2, oldestWaitingAgeMs: null });
  });
});

describe('presence', () => {
  let redis: Redis;
  const stops: { stop(): Promise<void> }[] = [];

  beforeAll(() => {
    // A fail-fast client, as web and the producers use.
    redis = createRedis(redisUrl, 'request', 'test-presence');
  });

  afterEach(async () => {
    await Promise.all(stops.splice(0).map((p) => p.stop()));
  });

  afterAll(() => {
    redis?.disconnect();
  });

  const key = (instance: string) => `${prefix}:formation:${instance}`;

  it('publishes a heartbeat that expires within 15 seconds and is removed on stop', async () => {
    const presence = startPresence(redis, prefix, { type: 'worker', instance: 'worker.1', version: 'v9' }, () => ({ processed: 3 }));
    stops.push(presence);

    await vi.waitFor(async () => expect(await client.exists(key('worker.1'))).toBe(1), { timeout: 5_000 });
    const ttl = await client.ttl(key('worker.1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15);

    const formation = await readFormation(redis, prefix);
    expect(formation).toEqual([
      {
        type: 'worker',
        instance: 'worker.1',
        version: 'v9',
        host: hostname(),
        pid: process.pid,
        startedAt: expect.any(String),
        updatedAt: expect.any(String),
        stats: { processed: 3 },
      },
    ]);
    expect(Number.isNaN(Date.parse(formation[0]!.startedAt))).toBe(false);

    await presence.stop();
    expect(await client.exists(key('worker.1'))).toBe(0);
    expect(await readFormation(redis, prefix)).toEqual([]);
  });

  it('lists the formation by type, then instance in numeric order, and only under its own prefix', async () => {
    for (const [type, instance] of [
      ['web', 'web.10'],
      ['worker', 'worker.1'],
      ['web', 'web.2'],
      ['clock', 'clock.1'],
    ] as const) {
      stops.push(startPresence(redis, prefix, { type, instance, version: 'v1' }, () => ({})));
    }
    await vi.waitFor(async () => expect(await readFormation(redis, prefix)).toHaveLength(4), { timeout: 5_000 });
    expect((await readFormation(redis, prefix)).map((p) => p.instance)).toEqual(['clock.1', 'web.2', 'web.10', 'worker.1']);
    expect(await readFormation(redis, `${prefix}-elsewhere`)).toEqual([]);

    await Promise.all(stops.splice(0).map((p) => p.stop()));
    expect(await readFormation(redis, prefix)).toEqual([]);
  });
});
