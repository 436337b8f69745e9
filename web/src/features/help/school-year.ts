import { consentExpiryDate } from '../../../../server/domain/school-year';

/**
 * The day a yes given today lapses by the school-year rule (DESIGN rule 5), from the
 * organisation's setting "MM-DD": the server's own pure rule, not a copy of it.
 */
export function schoolYearEnd(monthDay: string): string {
  const [month, day] = monthDay.split('-').map(Number);
  return consentExpiryDate(new Date(), { month: month!, day: day! });
}
