import type { OpsStatus } from '../services/ops-status.js';
import { ago } from './format.js';
import { html } from './html.js';
import { layout, type PageContext } from './layout.js';

const seconds = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

export function opsPage(ctx: PageContext, status: OpsStatus): string {
  const formation = Object.entries(status.formation)
    .map(([type, n]) => `${type}=${n}`)
    .join(' ');
  return layout(
    ctx,
    'Operations',
    html`<section>
  <h1>Operations</h1>
  <p>Formation: <strong data-field="formation">${formation || 'no live processes'}</strong> · clock scheduling lag: <strong>${seconds(status.clockLagMs)}</strong></p>
  <h2>Processes</h2>
  <table class="processes">
    <thead><tr><th>Instance</th><th>Type</th><th>Host / pid</th><th>Version</th><th>Up since</th><th>Last beat</th><th>Stats</th></tr></thead>
    <tbody>${status.processes.map(
      (p) => html`<tr>
      <td>${p.instance}</td><td>${p.type}</td><td>${p.host} / ${p.pid}</td><td>${p.version}</td>
      <td title="${p.startedAt}">${ago(new Date(p.startedAt))}</td><td>${ago(new Date(p.updatedAt))}</td>
      <td class="small">${Object.entries(p.stats)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}</td>
    </tr>`,
    )}</tbody>
  </table>
  <h2>Queues</h2>
  <table class="queues">
    <thead><tr><th>Queue</th><th>Waiting</th><th>Active</th><th>Delayed</th><th>Failed</th><th>Oldest waiting</th></tr></thead>
    <tbody>${status.queues.map(
      (q) => html`<tr><td>${q.queue}</td><td>${q.waiting}</td><td>${q.active}</td><td>${q.delayed}</td><td>${q.failed}</td><td>${seconds(q.oldestWaitingAgeMs)}</td></tr>`,
    )}</tbody>
  </table>
</section>`,
  );
}
