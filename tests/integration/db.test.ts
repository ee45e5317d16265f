import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimDueChecks,
  createMonitor,
  createUser,
  deleteCheckResultsBefore,
  deleteMonitor,
  findUserByEmail,
  findUserById,
  getMonitor,
  getMonitorForCheck,
  listChecks,
  listMonitors,
  recordCheckResult,
  updateMonitor,
  type ClaimedCheck,
  type Database,
  type Monitor,
  type User,
} from '@watchpost/db';
import { createMonitorInput, type CheckOutcome, type CreateMonitorInput } from '@watchpost/domain';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.prisma;
});

afterAll(async () => {
  await database?.drop();
});

const T0 = new Date('2030-01-01T00:00:00.000Z');
/** T0 plus some seconds. */
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let emailCounter = 0;
async function newUser(): Promise<User> {
  const user = await createUser(db, `user${++emailCounter}-${randomUUID()}@example.com`, 'hash');
  if (!user) throw new Error('user not created');
  return user;
}

function input(extra: Partial<CreateMonitorInput> = {}): CreateMonitorInput {
  return createMonitorInput.parse({ name: 'Site', url: 'https://example.com/', ...extra });
}

const up = (latencyMs = 12): CheckOutcome => ({ ok: true, statusCode: 200, latencyMs, error: null });
const down = (error = 'Expected status 200-299, got 503'): CheckOutcome => ({ ok: false, statusCode: 503, latencyMs: 40, error });

function reload(monitor: Monitor): Promise<Monitor> {
  return db.monitor.findUniqueOrThrow({ where: { id: monitor.id } });
}

describe('createUser', () => {
  it('makes exactly one administrator when the first sign-ups race', async () => {
    expect(await db.user.count()).toBe(0);
    const users = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) => createUser(db, `${name}-first@example.com`, 'hash')),
    );
    expect(users.every((u) => u !== null)).toBe(true);
    expect(users.filter((u) => u!.isAdmin)).toHaveLength(1);
    expect(await db.user.count({ where: { isAdmin: true } })).toBe(1);
  });

  it('makes later users ordinary users', async () => {
    const later = await createUser(db, 'later@example.com', 'hash');
    expect(later).toMatchObject({ email: 'later@example.com', passwordHash: 'hash', isAdmin: false });
    expect(later!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns null for an email that is already registered and stores nothing', async () => {
    const before = await db.user.count();
    expect(await createUser(db, 'later@example.com', 'other-hash')).toBeNull();
    expect(await db.user.count()).toBe(before);
    expect((await findUserByEmail(db, 'later@example.com'))!.passwordHash).toBe('hash');
  });

  it('finds users by email and by id', async () => {
    const user = await findUserByEmail(db, 'later@example.com');
    expect(user).not.toBeNull();
    expect(await findUserById(db, user!.id)).toEqual(user);
    expect(await findUserByEmail(db, 'nobody@example.com')).toBeNull();
    expect(await findUserById(db, randomUUID())).toBeNull();
  });
});

describe('monitors are scoped to their owner', () => {
  let alice: User;
  let bob: User;
  let monitor: Monitor;

  beforeAll(async () => {
    alice = await newUser();
    bob = await newUser();
    monitor = await createMonitor(db, alice.id, input({ intervalSeconds: 30, timeoutSeconds: 5 }), at(0));
  });

  it('creates a monitor that is due at once and pending', () => {
    expect(monitor).toMatchObject({
      userId: alice.id,
      name: 'Site',
      url: 'https://example.com/',
      method: 'GET',
      intervalSeconds: 30,
      timeoutSeconds: 5,
      expectedStatusMin: 200,
      expectedStatusMax: 299,
      paused: false,
      status: 'PENDING',
      nextCheckAt: at(0),
      lastSlot: null,
      lastCheckedAt: null,
      lastError: null,
    });
  });

  it('lists and gets a monitor for its owner only', async () => {
    expect((await listMonitors(db, alice.id)).map((m) => m.id)).toEqual([monitor.id]);
    expect(await listMonitors(db, bob.id)).toEqual([]);
    expect(await getMonitor(db, alice.id, monitor.id)).toMatchObject({ id: monitor.id });
    expect(await getMonitor(db, bob.id, monitor.id)).toBeNull();
    expect(await getMonitor(db, alice.id, randomUUID())).toBeNull();
  });

  it('lists monitors oldest first', async () => {
    const carol = await newUser();
    const first = await createMonitor(db, carol.id, input({ name: 'one' }), at(0));
    const second = await createMonitor(db, carol.id, input({ name: 'two' }), at(0));
    expect((await listMonitors(db, carol.id)).map((m) => m.id)).toEqual([first.id, second.id]);
  });

  it("refuses to update another user's monitor", async () => {
    expect(await updateMonitor(db, bob.id, monitor.id, { name: 'Hijacked', paused: true }, at(5))).toBeNull();
    expect(await reload(monitor)).toMatchObject({ name: 'Site', paused: false });
    expect(await updateMonitor(db, alice.id, randomUUID(), { name: 'x' }, at(5))).toBeNull();
  });

  it('updates the owner’s monitor without moving its schedule for a plain edit', async () => {
    const updated = await updateMonitor(db, alice.id, monitor.id, { name: 'Renamed', url: 'https://example.org/' }, at(5));
    expect(updated).toMatchObject({ name: 'Renamed', url: 'https://example.org/', nextCheckAt: at(0) });
    expect(await updateMonitor(db, alice.id, monitor.id, { intervalSeconds: 30 }, at(6))).toMatchObject({ nextCheckAt: at(0) });
  });

  it('makes a monitor due now when it is resumed or its interval changes', async () => {
    expect(await updateMonitor(db, alice.id, monitor.id, { paused: true }, at(10))).toMatchObject({ paused: true, nextCheckAt: at(0) });
    expect(await updateMonitor(db, alice.id, monitor.id, { paused: false }, at(20))).toMatchObject({ paused: false, nextCheckAt: at(20) });
    expect(await updateMonitor(db, alice.id, monitor.id, { intervalSeconds: 120 }, at(40))).toMatchObject({
      intervalSeconds: 120,
      nextCheckAt: at(40),
    });
  });

  it('lists check results newest first, for the owner only', async () => {
    for (const [i, slot] of [at(100), at(300), at(200)].entries()) {
      await recordCheckResult(db, { monitorId: monitor.id, slot, checkedAt: slot, outcome: up(i) });
    }
    expect(await listChecks(db, bob.id, monitor.id, 10)).toBeNull();
    const checks = await listChecks(db, alice.id, monitor.id, 2);
    expect(checks!.map((c) => c.slot)).toEqual([at(300), at(200)]);
  });

  it('gives the worker a monitor whoever owns it', async () => {
    expect(await getMonitorForCheck(db, monitor.id)).toMatchObject({ id: monitor.id, userId: alice.id });
    expect(await getMonitorForCheck(db, randomUUID())).toBeNull();
  });

  it("refuses to delete another user's monitor, and deletes the owner's with its results", async () => {
    expect(await deleteMonitor(db, bob.id, monitor.id)).toBe(false);
    expect(await getMonitor(db, alice.id, monitor.id)).not.toBeNull();
    expect(await deleteMonitor(db, alice.id, monitor.id)).toBe(true);
    expect(await getMonitor(db, alice.id, monitor.id)).toBeNull();
    expect(await db.checkResult.count({ where: { monitorId: monitor.id } })).toBe(0);
    expect(await deleteMonitor(db, alice.id, monitor.id)).toBe(false);
  });

  it('is protected by the database against an interval below the minimum', async () => {
    const bad = { ...input(), intervalSeconds: 5, timeoutSeconds: 1 };
    await expect(createMonitor(db, alice.id, bad, at(0))).rejects.toThrow();
    expect(await listMonitors(db, alice.id)).toEqual([]);
  });
});

describe('recordCheckResult', () => {
  let owner: User;
  beforeAll(async () => {
    owner = await newUser();
  });

  const record = (monitor: Monitor, seconds: number, outcome: CheckOutcome) =>
    recordCheckResult(db, { monitorId: monitor.id, slot: at(seconds), checkedAt: at(seconds + 1), outcome });
  const incidents = (monitor: Monitor) => db.incident.findMany({ where: { monitorId: monitor.id }, orderBy: { openedAt: 'asc' } });
  const rows = (monitor: Monitor) => db.checkResult.count({ where: { monitorId: monitor.id } });

  it('records a first result and moves the monitor from PENDING to UP', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    expect(await record(monitor, 0, up(33))).toEqual({ kind: 'recorded', userId: owner.id, status: 'UP', changed: true, incident: null });
    expect(await reload(monitor)).toMatchObject({
      status: 'UP',
      lastSlot: at(0),
      lastCheckedAt: at(1),
      lastLatencyMs: 33,
      lastError: null,
    });
    const [result] = await db.checkResult.findMany({ where: { monitorId: monitor.id } });
    expect(result).toMatchObject({ slot: at(0), checkedAt: at(1), ok: true, statusCode: 200, latencyMs: 33, error: null });
    expect(typeof result!.id).toBe('bigint');
  });

  it('records the same monitor and slot once: a second run is a duplicate and changes nothing', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    expect(await record(monitor, 60, up())).toMatchObject({ kind: 'recorded', status: 'UP' });
    const before = await reload(monitor);
    expect(await record(monitor, 60, down())).toEqual({ kind: 'duplicate' });
    expect(await rows(monitor)).toBe(1);
    expect(await reload(monitor)).toEqual(before);
    expect(await incidents(monitor)).toEqual([]);
  });

  it('records two concurrent runs of one job once', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    const outcomes = await Promise.all([record(monitor, 60, up()), record(monitor, 60, up()), record(monitor, 60, up())]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect(await rows(monitor)).toBe(1);
  });

  it('opens one incident when an UP monitor goes DOWN, and resolves it when it comes back', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    await record(monitor, 0, up());

    expect(await record(monitor, 60, down('Connection refused'))).toEqual({
      kind: 'recorded',
      userId: owner.id,
      status: 'DOWN',
      changed: true,
      incident: 'open',
    });
    expect(await incidents(monitor)).toEqual([
      expect.objectContaining({ openedAt: at(61), resolvedAt: null, cause: 'Connection refused' }),
    ]);
    expect(await reload(monitor)).toMatchObject({ status: 'DOWN', lastError: 'Connection refused', lastSlot: at(60) });

    // Still down: no second incident.
    expect(await record(monitor, 120, down('Timed out after 10 s'))).toMatchObject({ kind: 'recorded', changed: false, incident: null });
    expect(await incidents(monitor)).toHaveLength(1);

    expect(await record(monitor, 180, up())).toMatchObject({ kind: 'recorded', status: 'UP', changed: true, incident: 'resolve' });
    const [incident] = await incidents(monitor);
    expect(incident).toMatchObject({ openedAt: at(61), resolvedAt: at(181), cause: 'Connection refused' });
    expect(await reload(monitor)).toMatchObject({ status: 'UP', lastError: null });

    // A later outage is a new incident.
    await record(monitor, 240, down());
    const all = await incidents(monitor);
    expect(all).toHaveLength(2);
    expect(all.filter((i) => i.resolvedAt === null)).toHaveLength(1);
  });

  it('opens an incident when a PENDING monitor fails its first check', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    expect(await record(monitor, 0, { ok: false, statusCode: null, latencyMs: 10_000, error: null })).toMatchObject({
      status: 'DOWN',
      incident: 'open',
    });
    expect(await incidents(monitor)).toEqual([expect.objectContaining({ cause: 'Check failed', resolvedAt: null })]);
  });

  it('keeps a result older than the latest but leaves the state alone (stale)', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    await record(monitor, 120, up(5));
    const before = await reload(monitor);

    expect(await record(monitor, 60, down())).toEqual({ kind: 'stale', userId: owner.id });
    expect(await rows(monitor)).toBe(2);
    expect(await reload(monitor)).toEqual(before);
    expect(await incidents(monitor)).toEqual([]);
    // A stale result for the same slot as a stored one is still a duplicate.
    expect(await record(monitor, 60, down())).toEqual({ kind: 'duplicate' });
  });

  it('opens only one incident when failures of two slots are recorded at once', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    await record(monitor, 0, up());
    const outcomes = await Promise.all([record(monitor, 60, down()), record(monitor, 120, down())]);
    expect(outcomes.filter((o) => o.kind === 'recorded' && o.incident === 'open')).toHaveLength(1);
    expect(await incidents(monitor)).toHaveLength(1);
    expect(await reload(monitor)).toMatchObject({ status: 'DOWN', lastSlot: at(120) });
  });

  it('reports a deleted or unknown monitor as gone and stores nothing', async () => {
    const monitor = await createMonitor(db, owner.id, input(), at(0));
    expect(await deleteMonitor(db, owner.id, monitor.id)).toBe(true);
    expect(await record(monitor, 0, up())).toEqual({ kind: 'monitor-gone' });
    expect(await rows(monitor)).toBe(0);
    expect(await recordCheckResult(db, { monitorId: randomUUID(), slot: at(0), checkedAt: at(0), outcome: up() })).toEqual({
      kind: 'monitor-gone',
    });
  });
});

describe('claimDueChecks', () => {
  let owner: User;
  beforeAll(async () => {
    owner = await newUser();
  });
  beforeEach(async () => {
    // Claims see every monitor of the database: start each test from none.
    await db.monitor.deleteMany();
  });

  /** Claims at `now`, returning the count and what was handed to enqueue. */
  async function claim(now: Date, limit = 100): Promise<{ count: number; enqueued: ClaimedCheck[][] }> {
    const enqueued: ClaimedCheck[][] = [];
    const count = await claimDueChecks(db, now, limit, async (claimed) => {
      enqueued.push(claimed);
    });
    return { count, enqueued };
  }
  const monitorAt = (nextCheckSeconds: number, extra: Partial<CreateMonitorInput> = {}) =>
    createMonitor(db, owner.id, input(extra), at(nextCheckSeconds));
  const ids = (claimed: ClaimedCheck[]) => claimed.map((c) => c.monitorId).sort();

  it('claims each due monitor once and moves its next check forward', async () => {
    const dueA = await monitorAt(0, { intervalSeconds: 60 });
    const dueB = await monitorAt(30, { intervalSeconds: 60 });
    const notYet = await monitorAt(31, { intervalSeconds: 60 });

    const first = await claim(at(30));
    expect(first.count).toBe(2);
    expect(first.enqueued).toHaveLength(1);
    expect(first.enqueued[0]!.sort((a, b) => a.slot.getTime() - b.slot.getTime())).toEqual([
      { monitorId: dueA.id, slot: at(0) },
      { monitorId: dueB.id, slot: at(30) },
    ]);
    expect((await reload(dueA)).nextCheckAt).toEqual(at(60));
    expect((await reload(dueB)).nextCheckAt).toEqual(at(90));
    expect((await reload(notYet)).nextCheckAt).toEqual(at(31));

    // The same tick again claims nothing and does not call enqueue.
    expect(await claim(at(30))).toEqual({ count: 0, enqueued: [] });
    // The next tick claims only what has fallen due since.
    const next = await claim(at(61));
    expect(next.enqueued.flat()).toEqual([
      { monitorId: notYet.id, slot: at(31) },
      { monitorId: dueA.id, slot: at(60) },
    ]);
  });

  it('skips the slots missed while no clock ran and checks the latest one', async () => {
    const late = await monitorAt(0, { intervalSeconds: 60 });
    const { enqueued } = await claim(at(630));
    expect(enqueued.flat()).toEqual([{ monitorId: late.id, slot: at(600) }]);
    expect((await reload(late)).nextCheckAt).toEqual(at(660));
  });

  it('does not claim paused monitors, and claims one at once when it is resumed', async () => {
    const paused = await monitorAt(0, { paused: true });
    expect(await claim(at(100))).toEqual({ count: 0, enqueued: [] });
    expect((await reload(paused)).nextCheckAt).toEqual(at(0));

    await updateMonitor(db, owner.id, paused.id, { paused: false }, at(200));
    const { enqueued } = await claim(at(200));
    expect(enqueued.flat()).toEqual([{ monitorId: paused.id, slot: at(200) }]);
  });

  it('claims at most `limit` per call, the most overdue first', async () => {
    const monitors = [];
    for (let i = 0; i < 5; i++) monitors.push(await monitorAt(i, { intervalSeconds: 3600 }));
    const first = await claim(at(10), 2);
    expect(first.count).toBe(2);
    expect(ids(first.enqueued.flat())).toEqual([monitors[0]!.id, monitors[1]!.id].sort());
    expect((await claim(at(10), 2)).count).toBe(2);
    const last = await claim(at(10), 2);
    expect(last.enqueued.flat()).toEqual([{ monitorId: monitors[4]!.id, slot: at(4) }]);
    expect((await claim(at(10), 2)).count).toBe(0);
  });

  it('gives two concurrent claims disjoint sets that together cover every due monitor', async () => {
    const due: Monitor[] = [];
    for (let i = 0; i < 20; i++) due.push(await monitorAt(-i));
    const [a, b] = await Promise.all([claim(at(0)), claim(at(0))]);
    const claimedA = ids(a.enqueued.flat());
    const claimedB = ids(b.enqueued.flat());
    expect(claimedA.filter((id) => claimedB.includes(id))).toEqual([]);
    expect([...claimedA, ...claimedB].sort()).toEqual(ids(due.map((m) => ({ monitorId: m.id, slot: T0 }))));
    expect(a.count + b.count).toBe(20);
    expect(await db.monitor.count({ where: { nextCheckAt: { lte: at(0) } } })).toBe(0);
  });

  it('lets a second clock claim other monitors while the first still holds its claim (SKIP LOCKED)', async () => {
    const due: Monitor[] = [];
    for (let i = 0; i < 10; i++) due.push(await monitorAt(-i));

    // Neither claim's transaction may finish until both have claimed: both are open at once.
    let arrived = 0;
    let release!: () => void;
    const bothArrived = new Promise<void>((resolve) => (release = resolve));
    const rendezvous = async () => {
      if (++arrived === 2) release();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the other claim was blocked by this one')), 10_000);
      });
      try {
        await Promise.race([bothArrived, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    const claims: ClaimedCheck[][] = [];
    const run = () =>
      claimDueChecks(db, at(0), 5, async (claimed) => {
        claims.push(claimed);
        await rendezvous();
      });
    const counts = await Promise.all([run(), run()]);
    expect(counts).toEqual([5, 5]);
    expect(claims).toHaveLength(2);
    expect(ids(claims[0]!).filter((id) => ids(claims[1]!).includes(id))).toEqual([]);
    expect([...ids(claims[0]!), ...ids(claims[1]!)].sort()).toEqual(due.map((m) => m.id).sort());
  });

  it('rolls the claim back when enqueue throws, so the next tick claims the same slots', async () => {
    const a = await monitorAt(0);
    const b = await monitorAt(10);
    const failing = claimDueChecks(db, at(20), 100, async () => {
      throw new Error('Redis is unavailable');
    });
    await expect(failing).rejects.toThrow('Redis is unavailable');
    expect((await reload(a)).nextCheckAt).toEqual(at(0));
    expect((await reload(b)).nextCheckAt).toEqual(at(10));

    const retry = await claim(at(20));
    expect(ids(retry.enqueued.flat())).toEqual([a.id, b.id].sort());
    expect(retry.enqueued.flat().map((c) => c.slot).sort((x, y) => x.getTime() - y.getTime())).toEqual([at(0), at(10)]);
  });
});

describe('deleteCheckResultsBefore', () => {
  let monitor: Monitor;
  beforeAll(async () => {
    const owner = await newUser();
    monitor = await createMonitor(db, owner.id, input(), at(0));
  });
  beforeEach(async () => {
    await db.checkResult.deleteMany();
  });

  const day = (n: number) => at(n * 86_400);
  async function seed(days: number[]) {
    await db.checkResult.createMany({
      data: days.map((d) => ({ monitorId: monitor.id, slot: day(d), checkedAt: day(d), ok: true, statusCode: 200, latencyMs: 1 })),
    });
  }

  it('deletes only results checked before the cut-off, in batches, and counts them', async () => {
    await seed([1, 2, 3, 4, 5, 6, 7]);
    expect(await deleteCheckResultsBefore(db, day(4), 2)).toBe(3);
    const left = await db.checkResult.findMany({ where: { monitorId: monitor.id }, orderBy: { checkedAt: 'asc' } });
    expect(left.map((r) => r.checkedAt)).toEqual([day(4), day(5), day(6), day(7)]);
    expect(await deleteCheckResultsBefore(db, day(4), 2)).toBe(0);
  });

  it('finishes when the last batch is exactly full', async () => {
    await seed([1, 2, 3, 4]);
    expect(await deleteCheckResultsBefore(db, day(10), 2)).toBe(4);
    expect(await db.checkResult.count()).toBe(0);
  });

  it('deletes everything older in one call with the default batch size', async () => {
    await seed([1, 2, 3]);
    expect(await deleteCheckResultsBefore(db, day(3))).toBe(2);
    expect(await db.checkResult.count()).toBe(1);
  });
});
