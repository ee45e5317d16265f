import type { Logger } from '@watchpost/logger';

/**
 * The shutdown contract every process type keeps: on SIGTERM or SIGINT run `drain` (stop taking
 * work, finish or hand back what is in flight, close clients) and exit 0; if it does not finish
 * within the grace period, or fails, exit 1. A second signal is ignored; the grace timer rules.
 */
export function onShutdown(logger: Logger, graceMs: number, drain: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'grace period over before shutdown finished; exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    drain().then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Kept for every signal: a process manager may signal both the group and the process.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Logs an error that escaped every handler and exits, so the process manager restarts us. */
export function exitOnFatalErrors(logger: Logger): void {
  const fatal = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, kind);
    process.exit(1);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}
