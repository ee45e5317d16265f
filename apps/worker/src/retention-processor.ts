import type { Job } from 'bullmq';
import { deleteCheckResultsBefore, type Database } from '@watchpost/db';
import type { Logger } from '@watchpost/logger';
import { retentionJobPayload } from '@watchpost/queue';

/** Deletes raw check results past the retention period; running it twice deletes nothing more. */
export function createRetentionProcessor(deps: { db: Database; logger: Logger; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return async function processRetention(job: Job): Promise<{ deleted: number }> {
    const { olderThanDays } = retentionJobPayload.parse(job.data);
    const before = new Date(now().getTime() - olderThanDays * 86_400_000);
    const deleted = await deleteCheckResultsBefore(deps.db, before);
    deps.logger.info({ deleted, before: before.toISOString() }, 'deleted old check results');
    return { deleted };
  };
}
