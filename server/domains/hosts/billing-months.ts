import type { BillingMonthStatus } from '../../../shared/contracts/enums'
import { MONTH_RE } from '../../../shared/contracts/host'
import type { Deps } from '../../platform/deps'
import { InvalidInput } from '../../platform/errors'

/** A billing month as a UTC range, and whether it is still open (live) or closed (frozen on use). */
export interface MonthRange {
  month: string
  start: Date
  end: Date
  status: BillingMonthStatus
}

export function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`
}

/** The UTC range of `month` and whether it is still open; a future month is a 400 on `month`. */
export function resolveMonth(deps: Pick<Deps, 'clock'>, month: string): MonthRange {
  const match = MONTH_RE.exec(month)
  if (!match) throw new InvalidInput([{ path: 'month', message: 'must be a month in YYYY-MM form (e.g. 2026-03)' }])
  const year = Number(match[1])
  const index = Number(match[2]) - 1
  const start = new Date(Date.UTC(year, index, 1))
  const end = new Date(Date.UTC(year, index + 1, 1))
  const now = deps.clock.now()
  if (start > now) throw new InvalidInput([{ path: 'month', message: `must not be in the future (the current month is ${monthOf(now)})` }])
  return { month, start, end, status: end > now ? 'open' : 'closed' }
}
