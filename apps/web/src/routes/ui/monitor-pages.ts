import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createMonitor, deleteMonitor, getMonitor, listChecks, listMonitors, updateMonitor } from '@watchpost/db';
import { createMonitorInput, fieldErrors, InvalidMonitorChange, updateMonitorInput } from '@watchpost/domain';
import type { WebDeps } from '../../deps.js';
import { NotFoundError } from '../../plugins/errors.js';
import type { AssetManifest } from '../../views/assets.js';
import {
  dashboardPage,
  emptyMonitorForm,
  monitorFormPage,
  monitorFormValues,
  monitorPage,
  type MonitorFormValues,
} from '../../views/monitor-pages.js';
import { monitorIdOf, requireUserPage, userIdOf } from '../guards.js';
import { pageContext, sendPage } from './page-context.js';

const NUMBER_FIELDS = ['intervalSeconds', 'timeoutSeconds', 'expectedStatusMin', 'expectedStatusMax'] as const;

/** The form as typed (strings), for re-rendering it with its errors. */
function formValues(body: unknown): MonitorFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (key: keyof MonitorFormValues) => (typeof b[key] === 'string' ? (b[key] as string) : '');
  return {
    name: text('name'),
    url: text('url'),
    method: text('method') || 'GET',
    intervalSeconds: text('intervalSeconds'),
    timeoutSeconds: text('timeoutSeconds'),
    expectedStatusMin: text('expectedStatusMin'),
    expectedStatusMax: text('expectedStatusMax'),
  };
}

/** The same input the API takes: numbers where the form has numeric text. */
function formInput(values: MonitorFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = { name: values.name, url: values.url, method: values.method };
  for (const key of NUMBER_FIELDS) {
    const raw = values[key].trim();
    input[key] = raw === '' ? undefined : Number(raw);
  }
  return input;
}

/** Dashboard and monitor pages: every action is a plain form POST with the session's CSRF token. */
export function monitorPageRoutes(manifest: AssetManifest): FastifyPluginAsync<WebDeps> {
  return async (app, deps) => {
    app.addHook('preHandler', requireUserPage);
    const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(deps, manifest, request, reply);
    const owned = async (request: FastifyRequest, id: string) => {
      const monitor = await getMonitor(deps.db, userIdOf(request), monitorIdOf(id));
      if (!monitor) throw new NotFoundError('Monitor not found');
      return monitor;
    };

    app.get('/', async (request, reply) => {
      const monitors = await listMonitors(deps.db, userIdOf(request));
      return sendPage(reply, dashboardPage(await ctx(request, reply), monitors));
    });

    app.get('/monitors/new', async (request, reply) =>
      sendPage(reply, monitorFormPage(await ctx(request, reply), { values: emptyMonitorForm, errors: {} })),
    );

    app.post('/monitors', async (request, reply) => {
      const values = formValues(request.body);
      const parsed = createMonitorInput.safeParse(formInput(values));
      if (!parsed.success) {
        return sendPage(reply, monitorFormPage(await ctx(request, reply), { values, errors: fieldErrors(parsed.error) }), 400);
      }
      const monitor = await createMonitor(deps.db, userIdOf(request), parsed.data, new Date());
      return reply.redirect(`/monitors/${monitor.id}`, 303);
    });

    app.get<{ Params: { id: string } }>('/monitors/:id', async (request, reply) => {
      const monitor = await owned(request, request.params.id);
      const checks = (await listChecks(deps.db, userIdOf(request), monitor.id, 50)) ?? [];
      return sendPage(reply, monitorPage(await ctx(request, reply), monitor, checks));
    });

    app.get<{ Params: { id: string } }>('/monitors/:id/edit', async (request, reply) => {
      const monitor = await owned(request, request.params.id);
      return sendPage(reply, monitorFormPage(await ctx(request, reply), { monitorId: monitor.id, values: monitorFormValues(monitor), errors: {} }));
    });

    app.post<{ Params: { id: string } }>('/monitors/:id', async (request, reply) => {
      const monitor = await owned(request, request.params.id);
      const values = formValues(request.body);
      const parsed = updateMonitorInput.safeParse(formInput(values));
      if (!parsed.success) {
        const page = monitorFormPage(await ctx(request, reply), { monitorId: monitor.id, values, errors: fieldErrors(parsed.error) });
        return sendPage(reply, page, 400);
      }
      try {
        await updateMonitor(deps.db, userIdOf(request), monitor.id, parsed.data, new Date());
      } catch (error) {
        if (!(error instanceof InvalidMonitorChange)) throw error;
        const page = monitorFormPage(await ctx(request, reply), { monitorId: monitor.id, values, errors: error.fields });
        return sendPage(reply, page, 400);
      }
      return reply.redirect(`/monitors/${monitor.id}`, 303);
    });

    for (const paused of [true, false]) {
      app.post<{ Params: { id: string } }>(`/monitors/:id/${paused ? 'pause' : 'resume'}`, async (request, reply) => {
        const monitor = await owned(request, request.params.id);
        await updateMonitor(deps.db, userIdOf(request), monitor.id, { paused }, new Date());
        return reply.redirect(`/monitors/${monitor.id}`, 303);
      });
    }

    app.post<{ Params: { id: string } }>('/monitors/:id/delete', async (request, reply) => {
      if (!(await deleteMonitor(deps.db, userIdOf(request), monitorIdOf(request.params.id)))) {
        throw new NotFoundError('Monitor not found');
      }
      return reply.redirect('/', 303);
    });
  };
}
