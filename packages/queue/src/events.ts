import { z } from 'zod';

/** What a worker publishes when it stores a check result; web relays it to the owner's browsers. */
export const checkEvent = z.object({
  type: z.literal('check'),
  userId: z.string(),
  monitorId: z.string(),
  status: z.enum(['PENDING', 'UP', 'DOWN']),
  ok: z.boolean(),
  latencyMs: z.number(),
  checkedAt: z.string(),
});
export type CheckEvent = z.infer<typeof checkEvent>;

/** The Redis pub/sub channel carrying one user's events. */
export function userEventsChannel(prefix: string, userId: string): string {
  return `${prefix}:events:user:${userId}`;
}
