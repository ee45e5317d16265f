export interface HttpCheckTarget {
  url: string;
  method: string;
  timeoutSeconds: number;
  expectedStatusMin: number;
  expectedStatusMax: number;
}

export interface CheckOutcome {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** Why the check failed, in words a person reads on the monitor page; null when ok. */
  error: string | null;
}

/** Judges a response status against the monitor's expected range. */
export function evaluateStatus(
  statusCode: number,
  expected: { expectedStatusMin: number; expectedStatusMax: number },
): Pick<CheckOutcome, 'ok' | 'error'> {
  const { expectedStatusMin: min, expectedStatusMax: max } = expected;
  if (statusCode >= min && statusCode <= max) return { ok: true, error: null };
  const range = min === max ? `${min}` : `${min}-${max}`;
  return { ok: false, error: `Expected status ${range}, got ${statusCode}` };
}

const networkErrors: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by the server',
  ENOTFOUND: 'Host name not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EHOSTUNREACH: 'Host unreachable',
  ENETUNREACH: 'Network unreachable',
  UND_ERR_SOCKET: 'Connection closed by the server',
  UND_ERR_HEADERS_TIMEOUT: 'Timed out waiting for response headers',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
};

/** Describes a failed request in words, from the error `fetch` threw. */
export function describeFetchError(error: unknown, timeoutSeconds: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `Timed out after ${timeoutSeconds} s`;
  const code = err?.cause?.code;
  if (code && networkErrors[code]) return networkErrors[code];
  const detail = err?.cause?.message ?? err?.message ?? 'unknown error';
  return `Request failed: ${detail}`;
}

export type Fetch = typeof fetch;

/**
 * Runs one HTTP check: a request with the monitor's method and a hard timeout, the body
 * discarded. Never throws for a failing target: failure is an outcome, not an error.
 */
export async function runHttpCheck(target: HttpCheckTarget, fetchImpl: Fetch = fetch): Promise<CheckOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(target.timeoutSeconds * 1000);
  try {
    const response = await fetchImpl(target.url, {
      method: target.method,
      redirect: 'follow',
      signal,
      headers: { 'user-agent': 'Watchpost/1.0 (+uptime check)' },
    });
    await response.body?.cancel();
    const latencyMs = Math.round(performance.now() - started);
    return { ...evaluateStatus(response.status, target), statusCode: response.status, latencyMs };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    return { ok: false, statusCode: null, latencyMs, error: describeFetchError(error, target.timeoutSeconds) };
  }
}
