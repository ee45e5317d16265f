export { exitOnFatalErrors, onShutdown, type Lifecycle } from './lifecycle.js';
export { bullConnection, createDatabase } from './clients.js';
