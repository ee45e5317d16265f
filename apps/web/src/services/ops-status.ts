import type { Queue } from 'bullmq';
import { queueDepths, type QueueDepth } from '@watchpost/queue';
import type { Redis } from '@watchpost/redis';
import { readFormation, type ProcessPresence } from '@watchpost/runtime';

export interface OpsStatus {
  processes: ProcessPresence[];
  /** Live process count per type, e.g. { web: 3, worker: 8, clock: 1 }. */
  formation: Record<string, number>;
  queues: QueueDepth[];
  /** The largest scheduling lag any clock reported, in ms; null with no clock running. */
  clockLagMs: number | null;
}

/** The formation as the processes themselves report it, with the queues' backlog. */
export async function readOpsStatus(redis: Redis, prefix: string, queues: Queue[]): Promise<OpsStatus> {
  const [processes, depths] = await Promise.all([readFormation(redis, prefix), queueDepths(queues)]);
  const formation: Record<string, number> = {};
  for (const p of processes) formation[p.type] = (formation[p.type] ?? 0) + 1;
  const lags = processes.filter((p) => p.type === 'clock').map((p) => p.stats.lagMs ?? 0);
  return { processes, formation, queues: depths, clockLagMs: lags.length > 0 ? Math.max(...lags) : null };
}
