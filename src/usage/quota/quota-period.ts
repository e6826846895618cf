/** Quotas run per calendar month in UTC. */
export function periodOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function resetsAt(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}
