import { ApiException } from '../../common/errors/index.js';

/** Three years: enough for any question an operator asks, small enough to answer quickly. */
const MAX_DAYS = 3 * 366;

/** A report's inclusive UTC date range as [from, to): real dates, in order, at most MAX_DAYS long. */
export function reportRange(startDate: string, endDate: string): { from: Date; to: Date } {
  const from = new Date(`${startDate}T00:00:00Z`);
  const last = new Date(`${endDate}T00:00:00Z`);
  const issues = [];
  if (Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== startDate) issues.push({ field: 'start_date', issue: 'is not a real date' });
  if (Number.isNaN(last.getTime()) || last.toISOString().slice(0, 10) !== endDate) issues.push({ field: 'end_date', issue: 'is not a real date' });
  if (issues.length) throw ApiException.validation(issues);
  if (last < from) throw ApiException.validation([{ field: 'end_date', issue: 'must not be before start_date' }]);
  if ((last.getTime() - from.getTime()) / 86_400_000 > MAX_DAYS) {
    throw ApiException.validation([{ field: 'end_date', issue: `the range may span at most ${MAX_DAYS} days` }]);
  }
  return { from, to: new Date(last.getTime() + 86_400_000) };
}
