import { describe, expect, it } from 'vitest';
import { isNewerSlot, nextState, type MonitorStatus, type StateTransition } from './monitor-state.js';

describe('nextState', () => {
  const cases: [MonitorStatus, boolean, StateTransition][] = [
    ['PENDING', true, { status: 'UP', incident: null, changed: true }],
    ['PENDING', false, { status: 'DOWN', incident: 'open', changed: true }],
    ['UP', true, { status: 'UP', incident: null, changed: false }],
    ['UP', false, { status: 'DOWN', incident: 'open', changed: true }],
    ['DOWN', false, { status: 'DOWN', incident: null, changed: false }],
    ['DOWN', true, { status: 'UP', incident: 'resolve', changed: true }],
  ];

  it.each(cases)('from %s with ok=%s', (current, ok, expected) => {
    expect(nextState(current, ok)).toEqual(expected);
  });

  it('opens exactly one incident over a run of failures and resolves it once', () => {
    const results = [true, false, false, false, true, true, false, true];
    let status: MonitorStatus = 'PENDING';
    const incidents: (string | null)[] = [];
    for (const ok of results) {
      const transition = nextState(status, ok);
      incidents.push(transition.incident);
      status = transition.status;
    }
    expect(incidents).toEqual([null, 'open', null, null, 'resolve', null, 'open', 'resolve']);
    expect(status).toBe('UP');
  });
});

describe('isNewerSlot', () => {
  const slot = new Date('2030-01-01T00:01:00Z');

  it('is true for the first result of a monitor', () => {
    expect(isNewerSlot(slot, null)).toBe(true);
  });

  it('is true only for a slot after the latest one', () => {
    expect(isNewerSlot(slot, new Date('2030-01-01T00:00:00Z'))).toBe(true);
    expect(isNewerSlot(slot, new Date('2030-01-01T00:01:00Z'))).toBe(false);
    expect(isNewerSlot(slot, new Date('2030-01-01T00:02:00Z'))).toBe(false);
  });

  it('compares instants, not Date identities', () => {
    expect(isNewerSlot(new Date(slot.getTime() + 1), new Date(slot.getTime()))).toBe(true);
    expect(isNewerSlot(new Date(slot.getTime()), new Date(slot.getTime()))).toBe(false);
  });
});
