export { envSchema, type Env } from './schema.js';
export { ConfigError, loadConfig, parseConfig, type Config, type ProcessType } from './load-config.js';
