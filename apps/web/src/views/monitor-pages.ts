import type { CheckResult, Monitor } from '@watchpost/db';
import { HTTP_METHODS } from '@watchpost/domain';
import { html, type SafeHtml } from './html.js';
import { fieldError, layout, type PageContext } from './layout.js';
import { ago, every, latency } from './format.js';

function statusBadge(monitor: Pick<Monitor, 'status' | 'paused'>): SafeHtml {
  const label = monitor.paused ? 'PAUSED' : monitor.status;
  return html`<span class="badge badge-${label.toLowerCase()}" data-field="status">${label}</span>`;
}

function hidden(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}">`;
}

export function dashboardPage(ctx: PageContext, monitors: Monitor[]): string {
  const rows = monitors.map(
    (m) => html`<tr data-monitor-id="${m.id}">
      <td>${statusBadge(m)}</td>
      <td><a href="/monitors/${m.id}">${m.name}</a><div class="muted small">${m.method} ${m.url}</div></td>
      <td data-field="latency">${latency(m.lastLatencyMs)}</td>
      <td data-field="checked" title="${m.lastCheckedAt?.toISOString() ?? ''}">${ago(m.lastCheckedAt)}</td>
      <td>${every(m.intervalSeconds)}</td>
    </tr>`,
  );
  return layout(
    ctx,
    'Monitors',
    html`<section>
  <div class="heading-row"><h1>Monitors</h1><a class="button" href="/monitors/new">Add monitor</a></div>
  ${
    monitors.length === 0
      ? html`<p class="empty">No monitors yet. <a href="/monitors/new">Add your first HTTP monitor</a> and its checks will appear here.</p>`
      : html`<table class="monitors" data-live="dashboard">
    <thead><tr><th>Status</th><th>Monitor</th><th>Response time</th><th>Last check</th><th>Every</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`
  }
</section>`,
  );
}

export interface MonitorFormValues {
  name: string;
  url: string;
  method: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  expectedStatusMin: string;
  expectedStatusMax: string;
}

export const emptyMonitorForm: MonitorFormValues = {
  name: '',
  url: 'https://',
  method: 'GET',
  intervalSeconds: '60',
  timeoutSeconds: '10',
  expectedStatusMin: '200',
  expectedStatusMax: '299',
};

export function monitorFormValues(m: Monitor): MonitorFormValues {
  return {
    name: m.name,
    url: m.url,
    method: m.method,
    intervalSeconds: String(m.intervalSeconds),
    timeoutSeconds: String(m.timeoutSeconds),
    expectedStatusMin: String(m.expectedStatusMin),
    expectedStatusMax: String(m.expectedStatusMax),
  };
}

export function monitorFormPage(
  ctx: PageContext,
  opts: { monitorId?: string; values: MonitorFormValues; errors: Record<string, string> },
): string {
  const { values, errors } = opts;
  const editing = opts.monitorId !== undefined;
  const title = editing ? `Edit ${values.name}` : 'New HTTP monitor';
  const input = (name: keyof MonitorFormValues, label: string, attrs: SafeHtml) => html`<div class="field">
    <label for="${name}">${label}</label>
    <input id="${name}" name="${name}" value="${values[name]}" ${attrs}>
    ${fieldError(errors, name)}
  </div>`;
  return layout(
    ctx,
    title,
    html`<section class="card">
  <h1>${title}</h1>
  ${Object.keys(errors).length > 0 ? html`<p class="alert" role="alert">Please correct the fields marked below.</p>` : ''}
  <form method="post" action="${editing ? `/monitors/${opts.monitorId}` : '/monitors'}" novalidate>
    ${hidden(ctx)}
    ${input('name', 'Name', html`required maxlength="100"`)}
    ${input('url', 'URL', html`type="url" required`)}
    <div class="field">
      <label for="method">Method</label>
      <select id="method" name="method">${HTTP_METHODS.map(
        (m) => html`<option value="${m}" ${m === values.method ? html`selected` : ''}>${m}</option>`,
      )}</select>
      ${fieldError(errors, 'method')}
    </div>
    <div class="grid">
      ${input('intervalSeconds', 'Check every (seconds, at least 10)', html`type="number" min="10" required`)}
      ${input('timeoutSeconds', 'Timeout (seconds)', html`type="number" min="1" max="60" required`)}
      ${input('expectedStatusMin', 'Expected status from', html`type="number" min="100" max="599" required`)}
      ${input('expectedStatusMax', 'Expected status to', html`type="number" min="100" max="599" required`)}
    </div>
    <button type="submit">${editing ? 'Save changes' : 'Create monitor'}</button>
    <a href="${editing ? `/monitors/${opts.monitorId}` : '/'}" class="muted">Cancel</a>
  </form>
</section>`,
  );
}

export function monitorPage(ctx: PageContext, monitor: Monitor, checks: CheckResult[]): string {
  const action = (path: string, label: string, cls = '', confirm?: string) => html`<form method="post" action="/monitors/${monitor.id}/${path}" class="inline" ${
    confirm ? html`data-confirm="${confirm}"` : ''
  }>${hidden(ctx)}<button type="submit" class="${cls}">${label}</button></form>`;
  const rows = checks.map(
    (c) => html`<tr class="${c.ok ? 'ok' : 'fail'}">
      <td title="${c.checkedAt.toISOString()}">${c.checkedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</td>
      <td>${c.ok ? 'UP' : 'DOWN'}</td>
      <td>${c.statusCode ?? '—'}</td>
      <td>${latency(c.latencyMs)}</td>
      <td>${c.error ?? ''}</td>
    </tr>`,
  );
  return layout(
    ctx,
    monitor.name,
    html`<section data-live="monitor" data-monitor-id="${monitor.id}">
  <div class="heading-row">
    <h1>${monitor.name} ${statusBadge(monitor)}</h1>
    <div class="actions">
      <a class="button secondary" href="/monitors/${monitor.id}/edit">Edit</a>
      ${monitor.paused ? action('resume', 'Resume') : action('pause', 'Pause', 'secondary')}
      ${action('delete', 'Delete', 'danger', `Delete ${monitor.name} and all its results?`)}
    </div>
  </div>
  <dl class="facts">
    <dt>URL</dt><dd>${monitor.method} ${monitor.url}</dd>
    <dt>Every</dt><dd>${every(monitor.intervalSeconds)} (timeout ${monitor.timeoutSeconds} s)</dd>
    <dt>Expected status</dt><dd>${monitor.expectedStatusMin}–${monitor.expectedStatusMax}</dd>
    <dt>Last check</dt><dd>${ago(monitor.lastCheckedAt)}${monitor.lastError ? html` — <span class="fail-text">${monitor.lastError}</span>` : ''}</dd>
  </dl>
  <h2>Recent checks</h2>
  ${
    checks.length === 0
      ? html`<p class="empty">No checks yet: the first one runs within a few seconds.</p>`
      : html`<table class="checks"><thead><tr><th>Checked at</th><th>Result</th><th>Status</th><th>Response time</th><th>Error</th></tr></thead><tbody>${rows}</tbody></table>`
  }
</section>`,
  );
}
