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
  const totals = { jobsProcessed: 0, jobsFailed: 0, jobsInFlight: 0 };

  return {
    observeCheck(ok, latencyMs) {
      checkLatency.observe({ ok: String(ok) }, latencyMs / 1000);
    },
    watch(workers) {
      for (const worker of workers) {
        const queue = worker.name;
        worker.on('active', () => {
          totals.jobsInFlight++;
          inFlightGauge.inc({ queue });
        });
        worker.on('completed', (job) => {
          totals.jobsInFlight--;
          totals.jobsProcessed++;
          inFlightGauge.dec({ queue });
          jobs.inc({ queue, name: job.name, outcome: 'completed' });
        });
        worker.on('failed', (job) => {
          // 'failed' also fires for jobs that never became active here (e.g. stalled elsewhere).
          if (job?.processedOn) {
            totals.jobsInFlight = Math.max(0, totals.jobsInFlight - 1);
            inFlightGauge.dec({ queue });
          }
          totals.jobsFailed++;
          jobs.inc({ queue, name: job?.name ?? 'unknown', outcome: 'failed' });
        });
      }
    },
    stats: () => ({ ...totals }),
  };
}
