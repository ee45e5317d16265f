import { z } from 'zod';

/** Queue names: the contract between clock (producer), web and worker (consumer). */
export const QUEUES = {
  checks: 'checks',
  maintenance: 'maintenance',
} as const;

export const JOBS = {
  check: 'check',
  retention: 'retention',
} as const;

export const checkJobPayload = z.object({
  monitorId: z.uuid(),
  /** The due slot as epoch milliseconds. */
  slot: z.number().int().positive(),
});
export type CheckJobPayload = z.infer<typeof checkJobPayload>;

export const retentionJobPayload = z.object({
  /** Delete raw check results older than this many days. */
  olderThanDays: z.number().int().positive(),
});
export type RetentionJobPayload = z.infer<typeof retentionJobPayload>;

/** Every job name each queue carries; the worker checks at boot that each has one handler. */
export const JOBS_BY_QUEUE = {
  [QUEUES.checks]: [JOBS.check],
  [QUEUES.maintenance]: [JOBS.retention],
} as const;
