import { dueSlot } from '@watchpost/domain';
import type { Database } from './client.js';

export interface ClaimedCheck {
  monitorId: string;
  slot: Date;
}

/**
 * Claims the monitors that are due at `now` and moves each one's next check forward, calling
 * `enqueue` inside the same transaction. Rows are locked with SKIP LOCKED, so two clocks never
 * claim the same slot; if `enqueue` throws, the claim rolls back and the next tick retries it.
 * Returns the number of checks claimed, at most `limit` per call.
 */
export async function claimDueChecks(
  db: Database,
  now: Date,
  limit: number,
  enqueue: (claimed: ClaimedCheck[]) => Promise<void>,
): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; next_check_at: Date; interval_seconds: number }[]>`
        SELECT id::text AS id, next_check_at, interval_seconds FROM monitors
        WHERE NOT paused AND next_check_at <= ${now}
        ORDER BY next_check_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      const claimed: ClaimedCheck[] = [];
      const ids: string[] = [];
      const nextAt: number[] = [];
      for (const row of rows) {
        const due = dueSlot(row.next_check_at, row.interval_seconds, now);
        if (!due) continue;
        claimed.push({ monitorId: row.id, slot: due.slot });
        ids.push(row.id);
        nextAt.push(due.nextCheckAt.getTime());
      }
      if (claimed.length === 0) return 0;
      await tx.$executeRaw`
        UPDATE monitors AS m SET next_check_at = to_timestamp(v.next_ms / 1000.0)
        FROM unnest(${ids}::uuid[], ${nextAt}::float8[]) AS v(id, next_ms)
        WHERE m.id = v.id`;
      await enqueue(claimed);
      return claimed.length;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
