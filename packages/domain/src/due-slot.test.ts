import { describe, expect, it } from 'vitest';
import { checkJobId, dueSlot, periodicJobId } from './due-slot.js';

const at = (iso: string) => new Date(iso);

describe('dueSlot', () => {
  it('is null while the monitor is not due yet', () => {
    expect(dueSlot(at('2030-01-01T00:01:00Z'), 60, at('2030-01-01T00:00:59.999Z'))).toBeNull();
  });

  it('is the scheduled slot itself when the check falls due exactly now', () => {
    expect(dueSlot(at('2030-01-01T00:01:00Z'), 60, at('2030-01-01T00:01:00Z'))).toEqual({
      slot: at('2030-01-01T00:01:00Z'),
      nextCheckAt: at('2030-01-01T00:02:00Z'),
    });
  });

  it('stays in the scheduled slot while less than one interval behind', () => {
    expect(dueSlot(at('2030-01-01T00:01:00Z'), 60, at('2030-01-01T00:01:59.999Z'))).toEqual({
      slot: at('2030-01-01T00:01:00Z'),
      nextCheckAt: at('2030-01-01T00:02:00Z'),
    });
  });

  it('skips missed slots after an outage: the latest started slot is checked once', () => {
    // 10 minutes and 30 seconds behind with a 60 s interval: ten slots were missed.
    const due = dueSlot(at('2030-01-01T00:00:00Z'), 60, at('2030-01-01T00:10:30Z'));
    expect(due).toEqual({ slot: at('2030-01-01T00:10:00Z'), nextCheckAt: at('2030-01-01T00:11:00Z') });
  });

  it('keeps the phase of the schedule rather than realigning to now', () => {
    const due = dueSlot(at('2030-01-01T00:00:07Z'), 30, at('2030-01-01T00:02:00Z'));
    expect(due).toEqual({ slot: at('2030-01-01T00:01:37Z'), nextCheckAt: at('2030-01-01T00:02:07Z') });
  });

  it('always returns a slot that has started and a next check in the future', () => {
    const next = at('2030-01-01T00:00:00Z');
    for (const interval of [10, 45, 300, 86_400]) {
      for (const behindMs of [0, 1, 9_999, 10_000, 123_456, 7 * 86_400_000 + 17]) {
        const now = new Date(next.getTime() + behindMs);
        const due = dueSlot(next, interval, now)!;
        expect(due.slot.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(due.nextCheckAt.getTime()).toBeGreaterThan(now.getTime());
        expect(due.nextCheckAt.getTime() - due.slot.getTime()).toBe(interval * 1000);
        expect((due.slot.getTime() - next.getTime()) % (interval * 1000)).toBe(0);
      }
    }
  });
});

describe('checkJobId', () => {
  const monitorId = '4f1c2a9e-8c1d-4d5e-9f00-0123456789ab';

  it('names the monitor and the slot in epoch milliseconds', () => {
    expect(checkJobId(monitorId, at('2030-01-01T00:00:00Z'))).toBe(`check-${monitorId}-1893456000000`);
  });

  it('is equal for the same monitor and slot and different otherwise', () => {
    const slot = at('2030-01-01T00:00:00Z');
    expect(checkJobId(monitorId, new Date(slot.getTime()))).toBe(checkJobId(monitorId, slot));
    expect(checkJobId(monitorId, new Date(slot.getTime() + 1000))).not.toBe(checkJobId(monitorId, slot));
    expect(checkJobId('00000000-0000-4000-8000-000000000000', slot)).not.toBe(checkJobId(monitorId, slot));
  });

  it('holds no colon, which BullMQ refuses in custom job ids', () => {
    expect(checkJobId(monitorId, at('2030-01-01T00:00:00Z'))).not.toContain(':');
  });
});

describe('periodicJobId', () => {
  it('names the job and the period start to the second, without colons', () => {
    expect(periodicJobId('retention', at('2030-03-04T00:00:00Z'))).toBe('retention-2030-03-04-00-00-00');
    expect(periodicJobId('retention', at('2030-03-04T05:06:07.890Z'))).toBe('retention-2030-03-04-05-06-07');
    expect(periodicJobId('retention', at('2030-03-04T05:06:07.890Z'))).not.toContain(':');
  });

  it('differs between periods and between job names', () => {
    const day = at('2030-03-04T00:00:00Z');
    expect(periodicJobId('retention', day)).not.toBe(periodicJobId('retention', at('2030-03-05T00:00:00Z')));
    expect(periodicJobId('retention', day)).not.toBe(periodicJobId('rollup', day));
  });
});
