export { exitOnFatalErrors, onShutdown } from './lifecycle.js';
export { bullConnection, createDatabase } from './clients.js';
export { readFormation, startPresence, type ProcessPresence } from './presence.js';
export { createMetricsRegistry, serveMetrics } from './metrics.js';
export { bootProcess, joinFormation, type ProcessBase } from './boot.js';
