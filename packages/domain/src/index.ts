export { checkJobId, dueSlot, periodicJobId, type DueSlot } from './due-slot.js';
export { isNewerSlot, nextState, type IncidentChange, type MonitorStatus, type StateTransition } from './monitor-state.js';
export {
  describeFetchError,
  evaluateStatus,
  runHttpCheck,
  type CheckOutcome,
  type Fetch,
  type HttpCheckTarget,
} from './http-check.js';
export {
  createMonitorInput,
  emailInput,
  fieldErrors,
  HTTP_METHODS,
  MAX_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  newPasswordInput,
  updateMonitorInput,
  type CreateMonitorInput,
  type UpdateMonitorInput,
  changedMonitorErrors,
  InvalidMonitorChange,
} from './monitor-input.js';
