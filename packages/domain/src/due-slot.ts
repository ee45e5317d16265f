export interface DueSlot {
  /** The start of the interval this check belongs to; with the monitor id it names the check. */
  slot: Date;
  /** When the following check falls due. */
  nextCheckAt: Date;
}

/**
 * The slot a due monitor is checked for. Normally that is `nextCheckAt` itself; after an outage
 * of the clock it is the latest slot that has started, so missed slots are skipped instead of
 * being checked in a burst. Returns null while the monitor is not due yet.
 */
export function dueSlot(nextCheckAt: Date, intervalSeconds: number, now: Date): DueSlot | null {
  const intervalMs = intervalSeconds * 1000;
  const behindMs = now.getTime() - nextCheckAt.getTime();
  if (behindMs < 0) return null;
  const slotMs = nextCheckAt.getTime() + Math.floor(behindMs / intervalMs) * intervalMs;
  return { slot: new Date(slotMs), nextCheckAt: new Date(slotMs + intervalMs) };
}

/**
 * The BullMQ job id of the check of one monitor in one slot. Two clocks that claim the same
 * slot produce the same id, so the queue holds the check once.
 */
export function checkJobId(monitorId: string, slot: Date): string {
  return `check-${monitorId}-${slot.getTime()}`;
}

/** The job id of a periodic maintenance job for one period (e.g. a day). */
export function periodicJobId(name: string, periodStart: Date): string {
  return `${name}-${periodStart.toISOString().slice(0, 19).replace(/[:T]/g, '-')}`;
}
