import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import fastifyCsrf from '@fastify/csrf-protection';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebDeps } from '../deps.js';
import { RedisSessionStore } from './session-store.js';

declare module 'fastify' {
  interface Session {
    userId?: string;
    /** When the user logged in (epoch ms): the absolute timeout counts from here. */
    createdAt?: number;
  }
  interface FastifyRequest {
    /** The logged-in user's id, or null for an anonymous request. */
    userId: string | null;
    /**
     * The session this request brought if it hit the absolute timeout: destroyed (request.session
     * is then null), but a log-in in the same request still regenerates from it.
     */
    expiredSession: Session | null;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const SESSION_COOKIE = 'wp.sid';

/**
 * Sessions in Redis with an idle timeout (rolling cookie + key TTL) and an absolute timeout
 * (checked on every request), and CSRF protection on every state-changing request that comes
 * with a logged-in session, whether a form or JSON.
 */
export default fp(
  async function sessionPlugin(app, deps: WebDeps) {
    const { session: cfg, redis } = deps.config;
    const secure = cfg.cookieSecure;
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: cfg.secret,
      cookieName: SESSION_COOKIE,
      store: new RedisSessionStore(app.redis, redis.prefix, cfg.idleTimeoutSeconds),
      // Anonymous visitors (status pages, pings, the login form) write nothing to Redis.
      saveUninitialized: false,
      rolling: true,
      cookie: {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        // 'auto' sets Secure when the request came over TLS (directly or via a trusted proxy).
        secure,
        maxAge: cfg.idleTimeoutSeconds * 1000,
      },
    });
    await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });

    app.decorateRequest('userId', null);
    app.decorateRequest('expiredSession', null);
    app.addHook('onRequest', async (request) => {
      const { userId, createdAt } = request.session;
      if (!userId) return;
      if (createdAt === undefined || Date.now() - createdAt > cfg.absoluteTimeoutSeconds * 1000) {
        request.expiredSession = request.session;
        await request.session.destroy();
        return;
      }
      request.userId = userId;
    });
    // After body parsing (forms carry the token in `_csrf`), before validation and handlers.
    app.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (!UNSAFE_METHODS.has(request.method) || !request.userId) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'session' },
);

/** Starts a fresh session for `userId`: a new id (the old one deleted from Redis) and a CSRF token. */
export async function logIn(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<string> {
  // regenerate() replaces request.session, also when the request's session expired and was destroyed.
  await (request.session ?? request.expiredSession!).regenerate();
  request.session.userId = userId;
  request.session.createdAt = Date.now();
  request.userId = userId;
  return reply.generateCsrf();
}

export async function logOut(request: FastifyRequest): Promise<void> {
  request.userId = null;
  await request.session.destroy();
}
