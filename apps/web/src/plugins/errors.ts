import { InvalidMonitorChange } from '@watchpost/domain';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '@watchpost/db';
import { renderErrorPage } from '../views/error-page.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: Record<string, string>;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const redisUnavailable = /enableOfflineQueue|Connection is closed|Command timed out|Reached the max retries|ECONNREFUSED|Stream isn't writeable/i;

function isRedisUnavailable(error: { name?: string; message?: string }): boolean {
  return error.name === 'MaxRetriesPerRequestError' || redisUnavailable.test(error.message ?? '');
}

/** Friendlier words for some of the framework's own messages. */
const messageByCode: Record<string, string> = {
  FST_CSRF_INVALID_TOKEN: 'Missing or invalid CSRF token',
  FST_CSRF_MISSING_SECRET: 'Missing or invalid CSRF token',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is too large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Request body is not valid JSON',
};

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, body: ErrorBody) {
  reply.code(body.statusCode);
  if (isApiRequest(request)) return reply.type('application/json').send(body);
  return reply.type('text/html; charset=utf-8').send(renderErrorPage(body, request.userId !== null));
}

function errorBody(statusCode: number, message: string, fields?: Record<string, string>): ErrorBody {
  return { statusCode, error: reasons[statusCode] ?? 'Error', message, ...(fields ? { fields } : {}) };
}

/**
 * One error handler: validation errors become a 400 with a message per field; known HTTP errors
 * keep their status and message; an unreachable Postgres or Redis is a 503; anything else is
 * logged with the request and answered with a bare 500. No stack trace ever reaches a client.
 */
export default fp(
  async function errorsPlugin(app) {
    app.setErrorHandler((error, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const fields: Record<string, string> = {};
        for (const issue of error.validation) {
          const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
          const unknownKeys = (issue.params as { keys?: string[] }).keys;
          if (!path && unknownKeys) {
            for (const key of unknownKeys) fields[key] ??= 'Unknown field';
            continue;
          }
          fields[path || error.validationContext || '_'] ??= issue.message ?? 'Invalid value';
        }
        return sendError(request, reply, errorBody(400, 'Invalid input', fields));
      }
      if (error instanceof InvalidMonitorChange) return sendError(request, reply, errorBody(400, 'Invalid input', error.fields));
      const err = error as { statusCode?: number; code?: string; message: string; retryAfterSeconds?: number; name?: string };
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: error }, 'database unavailable');
        reply.header('retry-after', '5');
        return sendError(request, reply, errorBody(503, 'The database is unavailable; try again shortly'));
      }
      if (isRedisUnavailable(err)) {
        request.log.warn({ err: error }, 'redis unavailable');
        reply.header('retry-after', '5');
        return sendError(request, reply, errorBody(503, 'Session and queue storage is unavailable; try again shortly'));
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
        return sendError(request, reply, errorBody(status, (err.code && messageByCode[err.code]) || err.message));
      }
      request.log.error({ err: error }, 'request failed');
      return sendError(request, reply, errorBody(500, 'Something went wrong on our side'));
    });

    app.setNotFoundHandler((request, reply) =>
      sendError(request, reply, errorBody(404, `Route ${request.method} ${request.url.split('?')[0]} not found`)),
    );
  },
  { name: 'errors' },
);

export class NotFoundError extends Error {
  readonly statusCode = 404;
}

export class UnauthorizedError extends Error {
  readonly statusCode = 401;
  constructor() {
    super('Log in first');
  }
}
