import { Counter, Gauge, type Registry } from 'prom-client';
import { queueDepths, type Queues } from '@watchpost/queue';

export interface ClockMetrics {
  /** Records one due-checks tick: how many checks it queued and how late the most overdue one was. */
  observeTick(queued: number, lagMs: number): void;
  /** Ticks run, checks queued and the last scheduling lag, for the presence heartbeat. */
  stats(): Record<string, number>;
}

/** The clock's metrics: scheduling lag, checks queued, and the depth of every queue at scrape time. */
export function createClockMetrics(registry: Registry, queues: Queues): ClockMetrics {
  const queuedTotal = new Counter({
    name: 'watchpost_checks_enqueued_total',
    help: 'Due checks queued by this clock',
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'watchpost_scheduling_lag_seconds',
    help: 'How late the most overdue check of the last tick was queued',
    registers: [registry],
  });
  new Gauge({
    name: 'watchpost_queue_jobs',
    help: 'Jobs in each queue, by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const depth of await queueDepths(queues.all)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) {
          this.set({ queue: depth.queue, state }, depth[state]);
        }
      }
    },
  });
  const totals = { ticks: 0, checksQueued: 0, lagMs: 0 };
  return {
    observeTick(queued, lagMs) {
      totals.ticks++;
      totals.checksQueued += queued;
      totals.lagMs = lagMs;
      queuedTotal.inc(queued);
      lag.set(lagMs / 1000);
    },
    stats: () => ({ ...totals }),
  };
}
