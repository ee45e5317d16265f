import { Agent, createServer } from 'node:http';
import { createProxyServer } from 'http-proxy-3';

/** How long a request waits for a ready web instance (e.g. while the only one restarts). */
const WAIT_FOR_TARGET_MS = 15_000;

/**
 * The front port: proxies every request (and SSE stream) to the ready web instances in turn,
 * round-robin, no stickiness. Instances join when the runner sees their /readyz answer 200 and
 * leave before they are stopped, so a closing instance never gets new requests.
 */
export function createBalancer({ log }) {
  const targets = [];
  const waiters = new Set();
  let next = 0;
  // Pooled keep-alive connections (about twice the throughput of one per request, `npm run bench`).
  // An instance leaves the pool before it gets SIGTERM, so no request goes out on a socket it closes.
  const proxy = createProxyServer({ xfwd: true, agent: new Agent({ keepAlive: true }), proxyTimeout: 60_000 });

  function pick() {
    if (targets.length === 0) return null;
    next = (next + 1) % targets.length;
    return targets[next];
  }

  function waitForTarget() {
    const ready = pick();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const waiter = (target) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(target);
      };
      const timer = setTimeout(() => waiter(null), WAIT_FOR_TARGET_MS);
      waiters.add(waiter);
    });
  }

  function unavailable(res, message) {
    if (res.headersSent) return res.destroy();
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
    res.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message }));
  }

  const server = createServer(async (req, res) => {
    const target = await waitForTarget();
    if (!target) return unavailable(res, 'no web process is ready; try again shortly');
    proxy.web(req, res, { target }, (error) => {
      log(`proxy to ${target} failed: ${error.message}`);
      unavailable(res, 'the web process did not answer; try again shortly');
    });
  });

  return {
    server,
    add(target) {
      if (targets.includes(target)) return;
      targets.push(target);
      for (const waiter of [...waiters]) waiter(pick());
    },
    remove(target) {
      const index = targets.indexOf(target);
      if (index >= 0) targets.splice(index, 1);
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    },
    close() {
      proxy.close();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
