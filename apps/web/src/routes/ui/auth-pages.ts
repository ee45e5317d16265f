import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { emailInput, fieldErrors, newPasswordInput } from '@watchpost/domain';
import type { WebDeps } from '../../deps.js';
import { authenticate, EmailTakenError, InvalidCredentialsError, signUp } from '../../services/accounts.js';
import { createLoginLimiter, TooManyAttemptsError } from '../../services/login-limiter.js';
import { logIn, logOut } from '../../plugins/session.js';
import { loginPage, signupPage } from '../../views/auth-pages.js';
import type { AssetManifest } from '../../views/assets.js';
import { pageContext, sendPage } from './page-context.js';

const formSchema = (password: z.ZodType<string>) =>
  z.object({ email: emailInput, password, _csrf: z.string().optional() });
const signupForm = formSchema(newPasswordInput);
const loginForm = formSchema(z.string({ message: 'Password is required' }).min(1, 'Password is required'));

function rawEmail(body: unknown): string {
  const email = (body as { email?: unknown } | null)?.email;
  return typeof email === 'string' ? email : '';
}

/** Sign-up, log-in and log-out pages: plain HTML forms that work without JavaScript. */
export function authPageRoutes(manifest: AssetManifest): FastifyPluginAsync<WebDeps> {
  return async (app, deps) => {
    const limiter = createLoginLimiter(app.redis, deps.config);
    const render = async (request: FastifyRequest, reply: FastifyReply, kind: 'login' | 'signup', form: Parameters<typeof loginPage>[1], status = 200) => {
      const ctx = await pageContext(deps, manifest, request, reply);
      return sendPage(reply, kind === 'login' ? loginPage(ctx, form) : signupPage(ctx, form), status);
    };

    app.get('/login', async (request, reply) => {
      if (request.userId) return reply.redirect('/', 303);
      return render(request, reply, 'login', { email: '', errors: {} });
    });
    app.get('/signup', async (request, reply) => {
      if (request.userId) return reply.redirect('/', 303);
      return render(request, reply, 'signup', { email: '', errors: {} });
    });

    app.post('/signup', async (request, reply) => {
      const parsed = signupForm.safeParse(request.body);
      if (!parsed.success) {
        return render(request, reply, 'signup', { email: rawEmail(request.body), errors: fieldErrors(parsed.error) }, 400);
      }
      try {
        const user = await signUp(deps.db, parsed.data.email, parsed.data.password);
        await logIn(request, reply, user.id);
        return reply.redirect('/', 303);
      } catch (error) {
        if (!(error instanceof EmailTakenError)) throw error;
        return render(request, reply, 'signup', { email: parsed.data.email, errors: { email: error.message } }, 409);
      }
    });

    app.post('/login', async (request, reply) => {
      const parsed = loginForm.safeParse(request.body);
      if (!parsed.success) {
        return render(request, reply, 'login', { email: rawEmail(request.body), errors: fieldErrors(parsed.error) }, 400);
      }
      try {
        const user = await authenticate(deps.db, limiter, request.ip, parsed.data.email, parsed.data.password);
        await logIn(request, reply, user.id);
        return reply.redirect('/', 303);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) {
          return render(request, reply, 'login', { email: parsed.data.email, errors: {}, message: error.message }, 401);
        }
        if (error instanceof TooManyAttemptsError) {
          reply.header('retry-after', String(error.retryAfterSeconds));
          return render(request, reply, 'login', { email: parsed.data.email, errors: {}, message: error.message }, 429);
        }
        throw error;
      }
    });

    app.post('/logout', async (request, reply) => {
      if (request.userId) await logOut(request);
      return reply.redirect('/login', 303);
    });
  };
}
