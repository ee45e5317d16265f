import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** A JSON-lines logger on stdout; every line carries the process type and instance id. */
export function createLogger(opts: { processType: string; instanceId: string; level: LevelWithSilent }): Logger {
  return pino({
    level: opts.level,
    base: { type: opts.processType, instance: opts.instanceId, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
