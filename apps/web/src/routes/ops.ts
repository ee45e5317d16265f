import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findUserById } from '@watchpost/db';
import type { WebDeps } from '../deps.js';
import { readOpsStatus } from '../services/ops-status.js';
import type { AssetManifest } from '../views/assets.js';
import { opsPage } from '../views/ops-page.js';
import { errorSchema } from './api/schemas.js';
import { requireUser, requireUserPage } from './guards.js';
import { pageContext, sendPage } from './ui/page-context.js';

const opsStatusSchema = z.object({
  processes: z.array(
    z.object({
      type: z.string(),
      instance: z.string(),
      host: z.string(),
      pid: z.number().int(),
      version: z.string(),
      startedAt: z.string(),
      updatedAt: z.string().describe('Last heartbeat; a process missing three beats drops out'),
      stats: z.record(z.string(), z.number()),
    }),
  ),
  formation: z.record(z.string(), z.number().int()).describe('Live processes per type, e.g. {"web":3,"worker":8,"clock":1}'),
  queues: z.array(
    z.object({
      queue: z.string(),
      waiting: z.number().int(),
      active: z.number().int(),
      delayed: z.number().int(),
      failed: z.number().int(),
      oldestWaitingAgeMs: z.number().nullable(),
    }),
  ),
  clockLagMs: z.number().nullable().describe('The largest scheduling lag a clock reported'),
});

class AdminsOnlyError extends Error {
  readonly statusCode = 403;
  constructor() {
    super('Only administrators can see this page');
  }
}

async function requireAdmin(deps: WebDeps, request: FastifyRequest): Promise<void> {
  const user = request.userId ? await findUserById(deps.db, request.userId) : null;
  if (!user?.isAdmin) throw new AdminsOnlyError();
}

/** The ops view of the formation (admins only): `/ops` for people, `/api/v1/ops` as JSON. */
export function opsRoutes(manifest: AssetManifest): FastifyPluginAsync<WebDeps> {
  return async (app, deps) => {
    const status = () => readOpsStatus(app.redis, deps.config.redis.prefix, deps.queues);

    app.get('/ops', { preHandler: requireUserPage }, async (request, reply) => {
      await requireAdmin(deps, request);
      return sendPage(reply, opsPage(await pageContext(deps, manifest, request, reply), await status()));
    });

    app.get(
      '/api/v1/ops',
      {
        preValidation: requireUser,
        schema: {
          tags: ['ops'],
          summary: 'The live formation, queue depths and clock lag (administrators only)',
          response: { 200: opsStatusSchema, 401: errorSchema, 403: errorSchema },
        },
      },
      async (request) => {
        await requireAdmin(deps, request);
        return status();
      },
    );
  };
}
