export { createPrisma, type Database, type DatabaseOptions } from './client.js';
export { isDatabaseUnavailable, isUniqueViolation } from './errors.js';
export { createUser, findUserByEmail, findUserById } from './users.js';
export {
  createMonitor,
  deleteMonitor,
  getMonitor,
  getMonitorForCheck,
  listChecks,
  listMonitors,
  updateMonitor,
} from './monitors.js';
export { deleteCheckResultsBefore, recordCheckResult, type RecordOutcome } from './check-results.js';
export { claimDueChecks, type ClaimedCheck } from './due-monitors.js';
export type { CheckResult, Incident, Monitor, User } from './generated/prisma/client.js';
