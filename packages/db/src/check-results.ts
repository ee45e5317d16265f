import { isNewerSlot, nextState, type CheckOutcome, type MonitorStatus } from '@watchpost/domain';
import type { Database } from './client.js';

export type RecordOutcome =
  | { kind: 'recorded'; userId: string; status: MonitorStatus; changed: boolean; incident: 'open' | 'resolve' | null }
  | { kind: 'duplicate' }
  | { kind: 'stale'; userId: string }
  | { kind: 'monitor-gone' };

/**
 * Stores one check result and the monitor's new state in one transaction. Idempotent: the
 * result is unique per monitor and slot, so a job that runs twice records once (`duplicate`).
 * A result older than the monitor's latest is kept but leaves the state alone (`stale`).
 */
export async function recordCheckResult(
  db: Database,
  input: { monitorId: string; slot: Date; checkedAt: Date; outcome: CheckOutcome },
): Promise<RecordOutcome> {
  const { monitorId, slot, checkedAt, outcome } = input;
  return db.$transaction(async (tx) => {
    // Locking the monitor row orders concurrent results of one monitor.
    const rows = await tx.$queryRaw<{ status: MonitorStatus; last_slot: Date | null; user_id: string }[]>`
      SELECT status::text AS status, last_slot, user_id::text AS user_id
      FROM monitors WHERE id = ${monitorId}::uuid FOR UPDATE`;
    const monitor = rows[0];
    if (!monitor) return { kind: 'monitor-gone' } as const;

    const inserted = await tx.checkResult.createMany({
      data: [
        {
          monitorId,
          slot,
          checkedAt,
          ok: outcome.ok,
          statusCode: outcome.statusCode,
          latencyMs: outcome.latencyMs,
          error: outcome.error,
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return { kind: 'duplicate' } as const;
    if (!isNewerSlot(slot, monitor.last_slot)) return { kind: 'stale', userId: monitor.user_id } as const;

    const transition = nextState(monitor.status, outcome.ok);
    await tx.monitor.update({
      where: { id: monitorId },
      data: {
        status: transition.status,
        lastSlot: slot,
        lastCheckedAt: checkedAt,
        lastLatencyMs: outcome.latencyMs,
        lastError: outcome.error,
      },
    });
    if (transition.incident === 'open') {
      await tx.incident.create({ data: { monitorId, openedAt: checkedAt, cause: outcome.error ?? 'Check failed' } });
    } else if (transition.incident === 'resolve') {
      await tx.incident.updateMany({ where: { monitorId, resolvedAt: null }, data: { resolvedAt: checkedAt } });
    }
    return {
      kind: 'recorded',
      userId: monitor.user_id,
      status: transition.status,
      changed: transition.changed,
      incident: transition.incident,
    } as const;
  });
}

/** Deletes raw check results checked before `before`, in batches; returns how many went. */
export async function deleteCheckResultsBefore(db: Database, before: Date, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM check_results WHERE id IN (
        SELECT id FROM check_results WHERE checked_at < ${before} LIMIT ${batchSize})`;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
