import type { Worker } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WorkerMetrics {
  /** Records one HTTP check's outcome and latency. */
  observeCheck(ok: boolean, latencyMs: number): void;
  /** Counts jobs of these workers as they finish, and tracks the ones in flight. */
  watch(workers: Worker[]): void;
  /** Jobs processed, failed and in flight, for the presence heartbeat. */
  stats(): Record<string, number>;
}

export function createWorkerMetrics(registry: Registry): WorkerMetrics {
  const jobs = new Counter({
    name: 'watchpost_jobs_total',
    help: 'Jobs finished, by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'],
    registers: [registry],
  });
  const inFlightGauge = new Gauge({
    name: 'watchpost_jobs_in_flight',
    help: 'Jobs being processed now, by queue',
    labelNames: ['queue'],
    registers: [registry],
  });
  const checkLatency = new Histogram({
    name: 'watchpost_check_latency_seconds',
    help: 'Latency of HTTP checks, by outcome',
    labelNames: ['ok'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const totals = { jobsProcessed: 0, jobsFailed: 0 };
  // Jobs this process took: 'completed' and 'failed' also fire for jobs it never ran (a stalled
  // job another worker had), which must not move the in-flight count.
  const active = new Set<string>();
  const finished = (queue: string, id: string | undefined) => {
    if (id === undefined || !active.delete(`${queue}/${id}`)) return;
    inFlightGauge.dec({ queue });
  };

  return {
    observeCheck(ok, latencyMs) {
      checkLatency.observe({ ok: String(ok) }, latencyMs / 1000);
    },
    watch(workers) {
      for (const worker of workers) {
        const queue = worker.name;
        worker.on('active', (job) => {
          if (job.id === undefined) return;
          active.add(`${queue}/${job.id}`);
          inFlightGauge.inc({ queue });
        });
        worker.on('completed', (job) => {
          finished(queue, job.id);
          totals.jobsProcessed++;
          jobs.inc({ queue, name: job.name, outcome: 'completed' });
        });
        worker.on('failed', (job) => {
          finished(queue, job?.id);
          totals.jobsFailed++;
          jobs.inc({ queue, name: job?.name ?? 'unknown', outcome: 'failed' });
        });
      }
    },
    stats: () => ({ ...totals, jobsInFlight: active.size }),
  };
}
