import { Queue } from 'bullmq';
import { redisUrl } from './test-env.js';

/** A BullMQ handle on one of a formation's queues, to look at its jobs; close it after use. */
export function openQueue(name: string, prefix: string): Queue {
  const url = new URL(redisUrl);
  return new Queue(name, { connection: { host: url.hostname, port: Number(url.port || 6379) }, prefix });
}

/** The check jobs a formation queued under `prefix`, in every state, as monitor id → slots (ms). */
export async function queuedCheckSlots(prefix: string): Promise<Map<string, number[]>> {
  const queue = openQueue('checks', prefix);
  try {
    const jobs = await queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized'], 0, -1);
    const slots = new Map<string, number[]>();
    for (const job of jobs) {
      const match = /^check-(.+)-(\d+)$/.exec(job?.id ?? '');
      if (!match) continue;
      const list = slots.get(match[1]!) ?? [];
      list.push(Number(match[2]));
      slots.set(match[1]!, list);
    }
    for (const list of slots.values()) list.sort((a, b) => a - b);
    return slots;
  } finally {
    await queue.close();
  }
}

/** Slot pairs that are not exactly one interval apart: a missed or doubled slot. */
export function slotGaps(slots: number[], intervalSeconds: number): string[] {
  const gaps: string[] = [];
  for (let i = 1; i < slots.length; i++) {
    const step = slots[i]! - slots[i - 1]!;
    if (step !== intervalSeconds * 1000) gaps.push(`${new Date(slots[i - 1]!).toISOString()} → ${new Date(slots[i]!).toISOString()} (${step} ms)`);
  }
  return gaps;
}

/** Sum of the `queued` counts a clock logged at debug level ("queued due checks"). */
export function queuedByClockLogs(lines: string[]): number {
  let total = 0;
  for (const line of lines) {
    if (!line.includes('queued due checks')) continue;
    total += (JSON.parse(line) as { queued: number }).queued;
  }
  return total;
}
