import { claimDueChecks, type Database } from '@watchpost/db';
import { enqueueChecks, type Queues } from '@watchpost/queue';

/**
 * Claims every monitor due at `now` and queues one check per due slot, in batches.
 * Returns how many checks were queued by this process (another clock may queue the rest).
 */
export async function enqueueDueChecks(db: Database, queues: Queues, now: Date, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const claimed = await claimDueChecks(db, now, batchSize, (due) => enqueueChecks(queues, due));
    total += claimed;
    if (claimed < batchSize) return total;
  }
}

/** The start of the UTC day holding `now`: the period of the daily retention job. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
