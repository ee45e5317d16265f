// Progressive enhancement only: every page works without this script.

// Delegated to the document, so it also covers forms that a live refresh (below) puts into the page.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
  if (!window.confirm(form.dataset.confirm || 'Are you sure?')) event.preventDefault();
});

interface CheckEvent {
  monitorId: string;
  status: 'PENDING' | 'UP' | 'DOWN';
  latencyMs: number;
  checkedAt: string;
}

function updateDashboardRow(event: CheckEvent): void {
  const row = document.querySelector<HTMLTableRowElement>(`tr[data-monitor-id="${event.monitorId}"]`);
  if (!row) return;
  const badge = row.querySelector<HTMLElement>('[data-field="status"]');
  if (badge && badge.textContent !== 'PAUSED') {
    badge.textContent = event.status;
    badge.className = `badge badge-${event.status.toLowerCase()}`;
  }
  const latency = row.querySelector('[data-field="latency"]');
  if (latency) latency.textContent = `${event.latencyMs} ms`;
  const checked = row.querySelector<HTMLElement>('[data-field="checked"]');
  if (checked) {
    checked.textContent = 'just now';
    checked.title = event.checkedAt;
  }
}

async function refreshMain(): Promise<void> {
  const response = await fetch(window.location.href, { headers: { accept: 'text/html' } });
  if (!response.ok) return;
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  const fresh = doc.querySelector('main');
  const current = document.querySelector('main');
  if (fresh && current) current.replaceWith(fresh);
}

const live = document.querySelector<HTMLElement>('[data-live]');
if (live && 'EventSource' in window) {
  const source = new EventSource('/api/v1/events');
  source.addEventListener('check', (message) => {
    const event = JSON.parse((message as MessageEvent<string>).data) as CheckEvent;
    if (live.dataset.live === 'dashboard') updateDashboardRow(event);
    else if (live.dataset.monitorId === event.monitorId) void refreshMain();
  });
}
