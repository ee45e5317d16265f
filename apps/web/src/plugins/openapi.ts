import fastifySwagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from './session.js';

const description = `The Watchpost JSON API: everything the web UI does.

**Authentication.** Sign up with \`POST /api/v1/users\` or log in with \`POST /api/v1/session\`. The
response sets the \`${SESSION_COOKIE}\` session cookie (HttpOnly); send it back with every request.

**CSRF.** Every state-changing request (POST, PATCH, DELETE) made with a session cookie must carry the
session's CSRF token in the \`x-csrf-token\` header (HTML forms may send it as the \`_csrf\` field).
Obtain the token from the \`csrfToken\` field of the sign-up or log-in response, or at any time from
\`GET /api/v1/me\`. A missing or wrong token is answered with 403.

**Errors.** Errors are JSON \`{statusCode, error, message}\`; validation errors (400) add \`fields\`,
one message per invalid field.`;

/** The OpenAPI document, generated from the route schemas (the single source of validation). */
export default fp(
  async function openapiPlugin(app) {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Watchpost API', version: '1.0.0', description },
        servers: [{ url: '/' }],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
            csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          },
        },
        security: [{ session: [], csrf: [] }],
        tags: [
          { name: 'account', description: 'Sign up, log in, log out' },
          { name: 'monitors', description: 'HTTP monitors and their check results' },
        ],
      },
      hideUntagged: true,
      transform: jsonSchemaTransform,
    });
  },
  { name: 'openapi' },
);
