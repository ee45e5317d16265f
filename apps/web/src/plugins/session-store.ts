import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import type { Redis } from '@watchpost/redis';

type Callback = (err?: unknown) => void;

/**
 * Sessions live in Redis, never in process memory, so any web instance serves any request.
 * Each key expires with the session cookie: a session idle past its lifetime is gone.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly fallbackTtlSeconds: number,
  ) {}

  key(sessionId: string): string {
    return `${this.prefix}:sess:${sessionId}`;
  }

  set(sessionId: string, session: Session, callback: Callback): void {
    const maxAgeMs = session.cookie.originalMaxAge ?? session.cookie.maxAge;
    const ttl = maxAgeMs ? Math.max(1, Math.ceil(maxAgeMs / 1000)) : this.fallbackTtlSeconds;
    this.redis.set(this.key(sessionId), JSON.stringify(session), 'EX', ttl).then(() => callback(), callback);
  }

  get(sessionId: string, callback: (err: unknown, session?: Session | null) => void): void {
    this.redis.get(this.key(sessionId)).then(
      (raw) => {
        // A value that does not parse is no session (the visitor logs in again), never a crash.
        let session: Session | null = null;
        try {
          session = raw ? (JSON.parse(raw) as Session) : null;
        } catch {
          session = null;
        }
        callback(null, session);
      },
      (error: unknown) => callback(error),
    );
  }

  destroy(sessionId: string, callback: Callback): void {
    this.redis.del(this.key(sessionId)).then(() => callback(), callback);
  }
}
