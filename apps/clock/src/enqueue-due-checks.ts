import { claimDueChecks, type Database } from '@watchpost/db';
import { enqueueChecks, type DueCheck, type Queues } from '@watchpost/queue';

export interface EnqueueResult {
  /** Checks queued by this process (another clock may queue the rest). */
  queued: number;
  /** How late the most overdue slot was queued, in ms: the scheduling lag; 0 when nothing was due. */
  lagMs: number;
}

/** Claims every monitor due at `now` and queues one check per due slot, in batches. */
export async function enqueueDueChecks(db: Database, queues: Queues, now: Date, batchSize = 500): Promise<EnqueueResult> {
  let queued = 0;
  let lagMs = 0;
  const enqueue = async (due: DueCheck[]) => {
    await enqueueChecks(queues, due);
    for (const { slot } of due) lagMs = Math.max(lagMs, now.getTime() - slot.getTime());
  };
  for (;;) {
    const claimed = await claimDueChecks(db, now, batchSize, enqueue);
    queued += claimed;
    if (claimed < batchSize) return { queued, lagMs };
  }
}

/** The start of the UTC day holding `now`: the period of the daily retention job. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
