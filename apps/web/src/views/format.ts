/** "12 s ago", "5 min ago", ...; "never" for null. */
export function ago(date: Date | null, now: Date = new Date()): string {
  if (!date) return 'never';
  const s = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function latency(ms: number | null): string {
  return ms === null ? '—' : `${ms} ms`;
}

export function every(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
