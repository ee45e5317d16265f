import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, UnauthorizedError } from '../plugins/errors.js';

/** preValidation hook for API routes: 401 unless logged in (before any 400 for the input). */
export async function requireUser(request: FastifyRequest): Promise<void> {
  if (!request.userId) throw new UnauthorizedError();
}

/** preHandler for pages: anonymous visitors go to the login page. */
export async function requireUserPage(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.userId) return reply.redirect('/login', 303);
}

/** The logged-in user's id; only call behind requireUser/requireUserPage. */
export function userIdOf(request: FastifyRequest): string {
  if (!request.userId) throw new UnauthorizedError();
  return request.userId;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A monitor id from the URL: anything that is not a UUID cannot name a monitor (404, not 400). */
export function monitorIdOf(id: string): string {
  if (!UUID.test(id)) throw new NotFoundError('Monitor not found');
  return id.toLowerCase();
}
