import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findUserById } from '@watchpost/db';
import { emailInput, newPasswordInput } from '@watchpost/domain';
import type { WebDeps } from '../../deps.js';
import { authenticate, signUp } from '../../services/accounts.js';
import { createLoginLimiter } from '../../services/login-limiter.js';
import { logIn, logOut } from '../../plugins/session.js';
import { requireUser, userIdOf } from '../guards.js';
import { authErrors, errorSchema, sessionSchema, toUserDto } from './schemas.js';

const credentials = z.object({ email: emailInput, password: newPasswordInput }).strict();
const loginBody = z.object({ email: emailInput, password: z.string().min(1, 'Password is required').max(200) }).strict();

export const accountRoutes: FastifyPluginAsyncZod<WebDeps> = async (app, deps) => {
  const limiter = createLoginLimiter(app.redis, deps.config);

  app.post(
    '/users',
    {
      schema: {
        tags: ['account'],
        summary: 'Sign up',
        description: 'Creates an account and logs it in: the response sets the session cookie.',
        body: credentials,
        response: { 201: sessionSchema, 400: errorSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const user = await signUp(deps.db, request.body.email, request.body.password);
      const csrfToken = await logIn(request, reply, user.id);
      return reply.code(201).send({ user: toUserDto(user), csrfToken });
    },
  );

  app.post(
    '/session',
    {
      schema: {
        tags: ['account'],
        summary: 'Log in',
        description:
          'Checks the credentials and starts a new session (a new session id; any previous one is deleted). ' +
          'Attempts are rate-limited per client address and failed attempts per account (429 with Retry-After).',
        body: loginBody,
        response: { 200: sessionSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const user = await authenticate(deps.db, limiter, request.ip, request.body.email, request.body.password);
      const csrfToken = await logIn(request, reply, user.id);
      return { user: toUserDto(user), csrfToken };
    },
  );

  app.delete(
    '/session',
    {
      preValidation: requireUser,
      schema: { tags: ['account'], summary: 'Log out', response: { 204: z.null(), ...authErrors } },
    },
    async (request, reply) => {
      await logOut(request);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      preValidation: requireUser,
      schema: {
        tags: ['account'],
        summary: 'The logged-in user, with a CSRF token for the session',
        response: { 200: sessionSchema, 401: errorSchema },
      },
    },
    async (request, reply) => {
      const user = await findUserById(deps.db, userIdOf(request));
      if (!user) {
        await logOut(request);
        return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Log in first' });
      }
      return { user: toUserDto(user), csrfToken: reply.generateCsrf() };
    },
  );
};
