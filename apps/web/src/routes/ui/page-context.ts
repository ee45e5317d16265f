import type { FastifyReply, FastifyRequest } from 'fastify';
import { findUserById } from '@watchpost/db';
import type { WebDeps } from '../../deps.js';
import type { AssetManifest } from '../../views/assets.js';
import { ASSETS_PREFIX } from '../../views/assets.js';
import type { PageContext } from '../../views/layout.js';

/** What every page needs: asset URLs, the CSRF token of a logged-in session, who is logged in. */
export async function pageContext(
  deps: WebDeps,
  manifest: AssetManifest,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<PageContext> {
  const assets = { css: `${ASSETS_PREFIX}${manifest['app.css']}`, js: `${ASSETS_PREFIX}${manifest['app.js']}` };
  if (!request.userId) return { assets, csrfToken: null, loggedIn: false };
  const user = await findUserById(deps.db, request.userId);
  return { assets, csrfToken: reply.generateCsrf(), loggedIn: true, ...(user ? { email: user.email, isAdmin: user.isAdmin } : {}) };
}

export function sendPage(reply: FastifyReply, page: string, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
}
