import type { Job } from 'bullmq';
import { getMonitorForCheck, recordCheckResult, type Database } from '@watchpost/db';
import { runHttpCheck, type Fetch } from '@watchpost/domain';
import type { Logger } from '@watchpost/logger';
import { checkEvent, checkJobPayload, userEventsChannel } from '@watchpost/queue';
import type { Redis } from '@watchpost/redis';

export interface CheckProcessorDeps {
  db: Database;
  publisher: Redis;
  redisPrefix: string;
  logger: Logger;
  fetch?: Fetch;
  now?: () => Date;
  /** Called with every check's outcome (metrics). */
  onChecked?: (ok: boolean, latencyMs: number) => void;
}

export type CheckJobResult = 'recorded' | 'duplicate' | 'stale' | 'monitor-gone' | 'paused';

/**
 * Runs one due check and stores its result. Safe to run twice for the same slot: the second run
 * finds the result already stored. Errors from Postgres propagate so BullMQ retries the job.
 */
export function createCheckProcessor(deps: CheckProcessorDeps) {
  const now = deps.now ?? (() => new Date());
  return async function processCheck(job: Job): Promise<CheckJobResult> {
    const { monitorId, slot } = checkJobPayload.parse(job.data);
    const monitor = await getMonitorForCheck(deps.db, monitorId);
    if (!monitor) return 'monitor-gone';
    if (monitor.paused) return 'paused';

    const outcome = await runHttpCheck(monitor, deps.fetch);
    deps.onChecked?.(outcome.ok, outcome.latencyMs);
    const checkedAt = now();
    const result = await recordCheckResult(deps.db, { monitorId, slot: new Date(slot), checkedAt, outcome });
    if (result.kind !== 'recorded') return result.kind;

    if (result.incident) {
      deps.logger.info({ monitorId, status: result.status, incident: result.incident }, 'monitor changed state');
    }
    const event = checkEvent.parse({
      type: 'check',
      userId: result.userId,
      monitorId,
      status: result.status,
      ok: outcome.ok,
      latencyMs: outcome.latencyMs,
      checkedAt: checkedAt.toISOString(),
    });
    // Live updates are a courtesy: the result is committed, so a failed publish must not retry the job.
    await deps.publisher.publish(userEventsChannel(deps.redisPrefix, result.userId), JSON.stringify(event)).catch((error: unknown) => {
      deps.logger.warn({ err: error, monitorId }, 'could not publish check event');
    });
    return 'recorded';
  };
}
