/**
 * Billing periods are calendar months in UTC (spec §5.8). `end` is exclusive (the first instant
 * of the next month); the API shows the last second, `lastSecondOf(period)`.
 */
export interface BillingPeriod {
  /** `YYYY-MM`, also the invoice name. */
  name: string
  start: Date
  end: Date
}

const DAY_MS = 86_400_000

function periodOfMonth(year: number, monthIndex: number): BillingPeriod {
  const start = new Date(Date.UTC(year, monthIndex, 1))
  const end = new Date(Date.UTC(year, monthIndex + 1, 1))
  const name = `${String(start.getUTCFullYear()).padStart(4, '0')}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`
  return { name, start, end }
}

export function periodContaining(at: Date): BillingPeriod {
  return periodOfMonth(at.getUTCFullYear(), at.getUTCMonth())
}

/** The period of a valid invoice name (`YYYY-MM`, checked by the caller). */
export function periodNamed(name: string): BillingPeriod {
  const [y, m] = name.split('-')
  return periodOfMonth(Number(y), Number(m) - 1)
}

export function lastSecondOf(period: BillingPeriod): Date {
  return new Date(period.end.getTime() - 1000)
}

export function daysIn(period: BillingPeriod): number {
  return Math.round((period.end.getTime() - period.start.getTime()) / DAY_MS)
}

/** Start of each day of the period, in order. */
export function daysOf(period: BillingPeriod): Date[] {
  return Array.from({ length: daysIn(period) }, (_, i) => new Date(period.start.getTime() + i * DAY_MS))
}

export const ONE_DAY_MS = DAY_MS
