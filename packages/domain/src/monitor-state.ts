export type MonitorStatus = 'PENDING' | 'UP' | 'DOWN';

export type IncidentChange = 'open' | 'resolve' | null;

export interface StateTransition {
  status: MonitorStatus;
  /** Whether this result opens an incident (the monitor went down) or resolves the open one. */
  incident: IncidentChange;
  changed: boolean;
}

/** The monitor's next state after one check result. */
export function nextState(current: MonitorStatus, ok: boolean): StateTransition {
  const status: MonitorStatus = ok ? 'UP' : 'DOWN';
  const incident: IncidentChange =
    status === 'DOWN' && current !== 'DOWN' ? 'open' : status === 'UP' && current === 'DOWN' ? 'resolve' : null;
  return { status, incident, changed: status !== current };
}

/**
 * Whether a result for `slot` may change the monitor's state: a late result of an older slot
 * (a retried job finishing after a newer one) is stored but must not roll the state back.
 */
export function isNewerSlot(slot: Date, lastSlot: Date | null): boolean {
  return lastSlot === null || slot.getTime() > lastSlot.getTime();
}
