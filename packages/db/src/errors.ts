const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P03', '57014', '53300']);
const unavailablePatterns = [
  /timeout exceeded when trying to connect/i,
  /Connection terminated/i,
  /connect ECONNREFUSED/i,
  /Can't reach database server/i,
  /canceling statement due to statement timeout/i,
  /too many clients/i,
  /the database system is (starting up|shutting down)/i,
];

/** True when an error means Postgres is unreachable or overloaded rather than a bug or bad input. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') break;
    const err = e as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    if (typeof err.code === 'string' && (unavailableCodes.has(err.code) || err.code === 'P1001' || err.code === 'P1017')) return true;
    if (typeof err.message === 'string' && unavailablePatterns.some((p) => p.test(err.message as string))) return true;
    e = err.cause;
  }
  return false;
}

/** True for a unique-constraint violation (Prisma P2002 or Postgres 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown } } | null;
  return err?.code === 'P2002' || err?.code === '23505' || err?.cause?.originalCode === '23505';
}
