import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '@watchpost/config';
import type { Redis } from '@watchpost/redis';

export class TooManyAttemptsError extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many login attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/**
 * Login attempts counted in Redis, so the limits hold across every web instance: all attempts
 * per client address, and failed attempts per account (an attacker rotating addresses).
 */
export function createLoginLimiter(redis: Redis, config: Config) {
  const common = { storeClient: redis, duration: config.login.windowSeconds, useRedisPackage: false };
  const perIp = new RateLimiterRedis({ ...common, keyPrefix: `${config.redis.prefix}:login-ip`, points: config.login.maxAttemptsPerIp });
  const perAccount = new RateLimiterRedis({
    ...common,
    keyPrefix: `${config.redis.prefix}:login-fail`,
    points: config.login.maxFailuresPerAccount,
  });

  const rethrow = (error: unknown): never => {
    if (error instanceof RateLimiterRes) throw new TooManyAttemptsError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    throw error;
  };

  return {
    /** Counts an attempt from `ip` and refuses it when that address or the account is over its limit. */
    async beforeAttempt(ip: string, email: string): Promise<void> {
      await perIp.consume(ip).catch(rethrow);
      const failures = await perAccount.get(email);
      if (failures && failures.consumedPoints >= config.login.maxFailuresPerAccount) {
        throw new TooManyAttemptsError(Math.max(1, Math.ceil(failures.msBeforeNext / 1000)));
      }
    },
    async recordFailure(email: string): Promise<void> {
      await perAccount.penalty(email, 1);
    },
    async recordSuccess(email: string): Promise<void> {
      await perAccount.delete(email);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
