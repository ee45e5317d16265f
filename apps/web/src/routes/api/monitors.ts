import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createMonitor, deleteMonitor, getMonitor, listChecks, listMonitors, updateMonitor } from '@watchpost/db';
import { createMonitorInput, updateMonitorInput } from '@watchpost/domain';
import type { WebDeps } from '../../deps.js';
import { NotFoundError } from '../../plugins/errors.js';
import { monitorIdOf, requireUser, userIdOf } from '../guards.js';
import { authErrors, checkSchema, errorSchema, monitorParams, monitorSchema, toCheckDto, toMonitorDto } from './schemas.js';

const notFound = () => new NotFoundError('Monitor not found');

export const monitorRoutes: FastifyPluginAsyncZod<WebDeps> = async (app, deps) => {
  // Before validation: an anonymous call gets 401 whatever its body.
  app.addHook('preValidation', requireUser);

  app.get(
    '/monitors',
    { schema: { tags: ['monitors'], summary: "List the user's monitors", response: { 200: z.object({ monitors: z.array(monitorSchema) }), ...authErrors } } },
    async (request) => ({ monitors: (await listMonitors(deps.db, userIdOf(request))).map(toMonitorDto) }),
  );

  app.post(
    '/monitors',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Create an HTTP monitor',
        description: 'The first check runs within one clock tick.',
        body: createMonitorInput,
        response: { 201: monitorSchema, 400: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const monitor = await createMonitor(deps.db, userIdOf(request), request.body, new Date());
      return reply.code(201).header('location', `/api/v1/monitors/${monitor.id}`).send(toMonitorDto(monitor));
    },
  );

  app.get(
    '/monitors/:id',
    { schema: { tags: ['monitors'], summary: 'One monitor', params: monitorParams, response: { 200: monitorSchema, 404: errorSchema, ...authErrors } } },
    async (request) => {
      const monitor = await getMonitor(deps.db, userIdOf(request), monitorIdOf(request.params.id));
      if (!monitor) throw notFound();
      return toMonitorDto(monitor);
    },
  );

  app.patch(
    '/monitors/:id',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Change a monitor (edit, pause with {"paused": true}, resume with {"paused": false})',
        params: monitorParams,
        body: updateMonitorInput,
        response: { 200: monitorSchema, 400: errorSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const monitor = await updateMonitor(deps.db, userIdOf(request), monitorIdOf(request.params.id), request.body, new Date());
      if (!monitor) throw notFound();
      return toMonitorDto(monitor);
    },
  );

  app.delete(
    '/monitors/:id',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Delete a monitor with its results and incidents',
        params: monitorParams,
        response: { 204: z.null(), 404: errorSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const deleted = await deleteMonitor(deps.db, userIdOf(request), monitorIdOf(request.params.id));
      if (!deleted) throw notFound();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/monitors/:id/checks',
    {
      schema: {
        tags: ['monitors'],
        summary: "The monitor's recent check results, newest first",
        params: monitorParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.object({ checks: z.array(checkSchema) }), 400: errorSchema, 404: errorSchema, ...authErrors },
      },
    },
    async (request) => {
      const checks = await listChecks(deps.db, userIdOf(request), monitorIdOf(request.params.id), request.query.limit);
      if (!checks) throw notFound();
      return { checks: checks.map(toCheckDto) };
    },
  );
};
