import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { checkEvent, userEventsChannel } from '@watchpost/queue';
import type { WebDeps } from '../../deps.js';
import { requireUser, userIdOf } from '../guards.js';
import { errorSchema } from './schemas.js';

/**
 * Live check results as Server-Sent Events. Workers publish on Redis; every web instance
 * subscribes once and relays each event to the browsers connected to it, so a browser gets its
 * updates whichever instance holds its connection. The set of open connections is per-request
 * scratch: nothing else reads it, and a reconnecting browser simply opens a new one.
 */
export const eventRoutes: FastifyPluginAsyncZod<WebDeps> = async (app, deps) => {
  const openStreams = new Map<string, Set<ServerResponse>>();
  const pattern = userEventsChannel(deps.config.redis.prefix, '*');

  const onMessage = (_pattern: string, _channel: string, message: string) => {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      return;
    }
    const parsed = checkEvent.safeParse(payload);
    if (!parsed.success) return;
    for (const stream of openStreams.get(parsed.data.userId) ?? []) {
      stream.write(`event: check\ndata: ${message}\n\n`);
    }
  };
  deps.subscriber.on('pmessage', onMessage);
  // Not awaited: with Redis away the app still starts; ioredis subscribes once it connects.
  deps.subscriber.psubscribe(pattern).catch((error: unknown) => app.log.warn({ err: error }, 'could not subscribe to events'));

  const heartbeat = setInterval(() => {
    for (const streams of openStreams.values()) for (const s of streams) s.write(': keep-alive\n\n');
  }, 25_000);
  heartbeat.unref();

  // Streams never finish by themselves: end them before the server waits for its connections
  // to close, or every open dashboard would hold shutdown for the whole grace period.
  app.addHook('preClose', async () => {
    for (const streams of openStreams.values()) for (const s of streams) s.end();
  });

  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    deps.subscriber.off('pmessage', onMessage);
    // Never let shutdown wait for Redis: with Redis away the blocking subscriber would hold this
    // command until it came back.
    if (deps.subscriber.status === 'ready') {
      const unsubscribed = deps.subscriber.punsubscribe(pattern).catch(() => undefined);
      await Promise.race([unsubscribed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    }
  });

  app.get(
    '/events',
    {
      preValidation: requireUser,
      schema: {
        tags: ['monitors'],
        summary: 'Live check results (text/event-stream; one `check` event per stored result)',
        response: {
          200: z.string().describe('A text/event-stream: `event: check` with a JSON check result per stored result'),
          401: errorSchema,
        },
      },
    },
    (request, reply) => {
      const userId = userIdOf(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      const streams = openStreams.get(userId) ?? new Set<ServerResponse>();
      streams.add(raw);
      openStreams.set(userId, streams);
      request.raw.on('close', () => {
        streams.delete(raw);
        if (streams.size === 0) openStreams.delete(userId);
      });
    },
  );
};
