import { changedMonitorErrors, InvalidMonitorChange, type CreateMonitorInput, type UpdateMonitorInput } from '@watchpost/domain';
import type { Database } from './client.js';
import type { CheckResult, Monitor } from './generated/prisma/client.js';

// Every query here is scoped by owner: another user's monitor is indistinguishable from a missing one.

export function listMonitors(db: Database, userId: string): Promise<Monitor[]> {
  return db.monitor.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export function getMonitor(db: Database, userId: string, id: string): Promise<Monitor | null> {
  return db.monitor.findFirst({ where: { id, userId } });
}

/** A new monitor is due at once, so its first result arrives within one clock tick. */
export function createMonitor(db: Database, userId: string, input: CreateMonitorInput, now: Date): Promise<Monitor> {
  return db.monitor.create({ data: { ...input, userId, nextCheckAt: now } });
}

/**
 * Applies a change; returns null when the monitor is not the user's, and throws
 * InvalidMonitorChange when the changed monitor would be invalid (a timeout over its interval). Resuming a monitor or
 * changing its interval makes it due now rather than at the old schedule.
 */
export async function updateMonitor(
  db: Database,
  userId: string,
  id: string,
  patch: UpdateMonitorInput,
  now: Date,
): Promise<Monitor | null> {
  const current = await getMonitor(db, userId, id);
  if (!current) return null;
  const errors = changedMonitorErrors(current, patch);
  if (errors) throw new InvalidMonitorChange(errors);
  const resumed = patch.paused === false && current.paused;
  const rescheduled = patch.intervalSeconds !== undefined && patch.intervalSeconds !== current.intervalSeconds;
  const { count } = await db.monitor.updateMany({
    where: { id, userId },
    data: { ...patch, ...(resumed || rescheduled ? { nextCheckAt: now } : {}) },
  });
  return count === 0 ? null : getMonitor(db, userId, id);
}

/** Deletes a monitor with its results and incidents; false when it is not the user's. */
export async function deleteMonitor(db: Database, userId: string, id: string): Promise<boolean> {
  const { count } = await db.monitor.deleteMany({ where: { id, userId } });
  return count > 0;
}

/** The monitor's most recent check results, newest first; null when the monitor is not the user's. */
export async function listChecks(
  db: Database,
  userId: string,
  monitorId: string,
  limit: number,
): Promise<CheckResult[] | null> {
  const monitor = await getMonitor(db, userId, monitorId);
  if (!monitor) return null;
  return db.checkResult.findMany({ where: { monitorId }, orderBy: { slot: 'desc' }, take: limit });
}

/** Monitor rows the worker needs to run a check, whoever owns them. */
export function getMonitorForCheck(db: Database, id: string): Promise<Monitor | null> {
  return db.monitor.findUnique({ where: { id } });
}
