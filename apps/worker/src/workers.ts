import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '@watchpost/logger';
import { JOBS_BY_QUEUE } from '@watchpost/queue';

export type Handler = (job: Job) => Promise<unknown>;
export type Handlers = Record<string, Record<string, Handler>>;

/** Fails at boot unless every job name of every queue has exactly one handler, and no handler is extra. */
export function assertHandlersComplete(handlers: Handlers): void {
  for (const [queue, names] of Object.entries(JOBS_BY_QUEUE)) {
    const given = Object.keys(handlers[queue] ?? {});
    const missing = names.filter((n) => !given.includes(n));
    const extra = given.filter((n) => !(names as readonly string[]).includes(n));
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(`queue ${queue}: missing handlers [${missing.join(', ')}], unknown handlers [${extra.join(', ')}]`);
    }
  }
  const unknownQueues = Object.keys(handlers).filter((q) => !(q in JOBS_BY_QUEUE));
  if (unknownQueues.length > 0) throw new Error(`handlers for unknown queues: ${unknownQueues.join(', ')}`);
}

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  lockMs: number;
  logger: Logger;
}

/** One BullMQ worker per queue, dispatching by job name. */
export function startWorkers(handlers: Handlers, opts: WorkerOptions): Worker[] {
  assertHandlersComplete(handlers);
  return Object.entries(handlers).map(([queue, byName]) => {
    const worker = new Worker(
      queue,
      async (job) => {
        const handler = byName[job.name];
        if (!handler) throw new Error(`no handler for job ${job.name} on queue ${queue}`);
        return handler(job);
      },
      {
        connection: opts.connection,
        prefix: opts.prefix,
        concurrency: opts.concurrency,
        lockDuration: opts.lockMs,
        stalledInterval: opts.lockMs,
        maxStalledCount: 2,
      },
    );
    worker.on('failed', (job, error) => {
      opts.logger.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed');
    });
    worker.on('error', (error) => opts.logger.error({ queue, err: error }, 'worker error'));
    return worker;
  });
}
