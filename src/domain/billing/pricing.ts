import type { Decimal } from 'decimal.js'
import type { LineItem } from '../invoices/schema.js'
import { daysIn, daysOf, ONE_DAY_MS, type BillingPeriod } from './period.js'
import type { AllocationInterval } from './schema.js'
import { BillingDecimal as D, measureClusters, type ClusterUsage } from './usage.js'

/**
 * The pricing engine (spec §5.8): pure functions from a period, the tenant's plan history,
 * allocation intervals, credits and tax rate to invoice lines and totals. The same calculation
 * closes a period and estimates the open one (status.currentUsage), so the two always agree.
 */

export interface PlanRates {
  cpuHour: string
  memoryGiBHour: string
  storageGiBHour: string
  haHour: string
  metricsSeriesMonth: string
  logGB: string
}

export interface PlanTerms {
  name: string
  displayName: string
  platformFee: string
  currency: string
  rates: PlanRates
  maxActiveSeries: number
  logIngestGB: number
}

export interface PlanChange {
  plan: string
  effectiveAt: Date
}

export interface ObservabilityUsage {
  activeSeriesP95: number
  logIngestBytes: bigint
}

export interface InvoiceInput {
  period: BillingPeriod
  /** Usage is measured up to here: the period's end once closed, now for the open period's Draft. */
  asOf: Date
  /** The tenant's whole plan history, oldest first; the first entry is its creation. */
  planChanges: PlanChange[]
  /** Terms of every plan named in the history. */
  plans: ReadonlyMap<string, PlanTerms>
  intervals: AllocationInterval[]
  /** Money available from credits (before this invoice). */
  credits: string
  taxRate: string
  enforceMetricsLimit: boolean
  enforceLogLimit: boolean
  observability: ObservabilityUsage
  /** Used when the tenant held no plan in the period (no lines at all). */
  defaultCurrency: string
}

export interface PricedInvoice {
  currency: string
  lineItems: LineItem[]
  subtotal: string
  creditsApplied: string
  tax: string
  total: string
  planChangedInPeriod: boolean
}

const HALF_UP = D.ROUND_HALF_UP
const money = (d: Decimal) => d.toDecimalPlaces(2, HALF_UP)

function line(kind: string, description: string, quantity: Decimal, places: number, unit: string, unitPrice: string): LineItem {
  const q = quantity.toDecimalPlaces(places, HALF_UP)
  return { kind, description, quantity: q.toFixed(places), unit, unitPrice, cost: money(q.times(unitPrice)).toFixed(2) }
}

/** The plan held on a day: the last change before the day ends (the day of a change counts for the new plan). */
function planOnDay(changes: PlanChange[], dayEnd: number): string | undefined {
  let plan: string | undefined
  for (const c of changes) if (c.effectiveAt.getTime() < dayEnd) plan = c.plan
  return plan
}

function termsOf(plans: ReadonlyMap<string, PlanTerms>, name: string): PlanTerms {
  const terms = plans.get(name)
  if (!terms) throw new Error(`no terms for plan "${name}"`)
  return terms
}

/**
 * One `platformFee` line per plan held, in the order first held; quantity = share of the period's
 * days. Days before the tenant existed carry no fee, so a first month is prorated like a change.
 */
export function platformFeeLines(period: BillingPeriod, changes: PlanChange[], plans: ReadonlyMap<string, PlanTerms>): LineItem[] {
  const days = new Map<string, number>()
  for (const day of daysOf(period)) {
    const plan = planOnDay(changes, day.getTime() + ONE_DAY_MS)
    if (plan !== undefined) days.set(plan, (days.get(plan) ?? 0) + 1)
  }
  const total = daysIn(period)
  return [...days].map(([plan, n]) => {
    const terms = termsOf(plans, plan)
    return line('platformFee', `${terms.displayName} plan`, new D(n).div(total), 4, 'month', terms.platformFee)
  })
}

/** Per cluster (already ordered by name): cpu, memory, storage, and ha for highly available clusters. */
export function clusterLines(usage: ClusterUsage[], rates: PlanRates): LineItem[] {
  return usage.flatMap((u) => {
    const of = `cluster ${u.clusterName}`
    const lines = [
      line('cpu', `CPU, ${of}`, u.cpuCoreHours, 2, 'vCPU-hour', rates.cpuHour),
      line('memory', `Memory, ${of}`, u.memoryGiBHours, 2, 'GiB-hour', rates.memoryGiBHour),
      line('storage', `Storage, ${of}`, u.storageGiBHours, 2, 'GiB-hour', rates.storageGiBHour),
    ]
    if (u.highAvailability) lines.push(line('ha', `High availability, ${of}`, u.haHours, 2, 'hour', rates.haHour))
    return lines
  })
}

/** Overage lines, only where the tenant allows overage and exceeds the plan's allowance. */
export function overageLines(obs: ObservabilityUsage, terms: PlanTerms, enforceMetrics: boolean, enforceLogs: boolean): LineItem[] {
  const lines: LineItem[] = []
  const series = new D(obs.activeSeriesP95).minus(terms.maxActiveSeries)
  if (!enforceMetrics && series.gt(0)) {
    lines.push(line('metricsOverage', 'Metrics overage, active series above the plan allowance', series, 2, 'series-month', terms.rates.metricsSeriesMonth))
  }
  const gb = new D(obs.logIngestBytes.toString()).div(1e9).minus(terms.logIngestGB)
  if (!enforceLogs && gb.gt(0)) {
    lines.push(line('logOverage', 'Log ingestion above the plan allowance', gb, 2, 'GB', terms.rates.logGB))
  }
  return lines
}

/** subtotal, creditsApplied = min(credits, subtotal), tax half up, total never negative. */
export function invoiceTotals(lines: LineItem[], credits: string, taxRate: string) {
  const subtotal = lines.reduce((sum, l) => sum.plus(l.cost), new D(0))
  const available = D.max(new D(credits).toDecimalPlaces(2, D.ROUND_DOWN), 0)
  const creditsApplied = D.min(available, subtotal)
  const tax = money(subtotal.minus(creditsApplied).times(taxRate))
  const total = D.max(subtotal.minus(creditsApplied).plus(tax), 0)
  return { subtotal: subtotal.toFixed(2), creditsApplied: creditsApplied.toFixed(2), tax: tax.toFixed(2), total: total.toFixed(2) }
}

export function planChangedIn(period: BillingPeriod, changes: PlanChange[]): boolean {
  return changes.slice(1).some((c) => c.effectiveAt >= period.start && c.effectiveAt < period.end)
}

/**
 * A whole invoice. Compute and overage are priced at the rates of the plan held at the end of the
 * period (every line shows one unit price, so anyone can recompute it).
 */
export function priceInvoice(input: InvoiceInput): PricedInvoice {
  const { period, planChanges, plans } = input
  const finalPlan = planOnDay(planChanges, period.end.getTime())
  const lineItems: LineItem[] = []
  let currency = input.defaultCurrency
  if (finalPlan !== undefined) {
    const terms = termsOf(plans, finalPlan)
    currency = terms.currency
    const to = input.asOf < period.end ? input.asOf : period.end
    lineItems.push(
      ...platformFeeLines(period, planChanges, plans),
      ...clusterLines(measureClusters(input.intervals, period.start, to), terms.rates),
      ...overageLines(input.observability, terms, input.enforceMetricsLimit, input.enforceLogLimit),
    )
  }
  return {
    currency,
    lineItems,
    ...invoiceTotals(lineItems, input.credits, input.taxRate),
    planChangedInPeriod: planChangedIn(period, planChanges),
  }
}
