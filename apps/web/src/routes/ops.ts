import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { findUserById } from '@watchpost/db';
import type { WebDeps } from '../deps.js';
import { UnauthorizedError } from '../plugins/errors.js';
import { readOpsStatus } from '../services/ops-status.js';
import type { AssetManifest } from '../views/assets.js';
import { opsPage } from '../views/ops-page.js';
import { pageContext, sendPage } from './ui/page-context.js';

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

    app.get('/ops', async (request, reply) => {
      if (!request.userId) return reply.redirect('/login', 303);
      await requireAdmin(deps, request);
      return sendPage(reply, opsPage(await pageContext(deps, manifest, request, reply), await status()));
    });

    app.get('/api/v1/ops', async (request) => {
      if (!request.userId) throw new UnauthorizedError();
      await requireAdmin(deps, request);
      return status();
    });
  };
}
