import { Counter, Histogram, type Registry } from 'prom-client'

/** How one reconcile ended: `requeue` asked for another look, `error` is retried with backoff. */
export type ReconcileResult = 'success' | 'requeue' | 'error' | 'terminal'

export interface ReconcileMetrics {
  observe(controller: string, result: ReconcileResult, seconds: number): void
}

const TOTAL = 'kupe_reconcile_total'
const DURATION = 'kupe_reconcile_duration_seconds'

/**
 * Reconcile counts by controller and result, and durations by controller, on `registry`
 * (served at /metrics). Several runners may share one registry — the server's controllers and
 * an operator per host cluster — so the metrics are created once and reused.
 */
export function reconcileMetrics(registry: Registry): ReconcileMetrics {
  const total =
    (registry.getSingleMetric(TOTAL) as Counter<'controller' | 'result'> | undefined) ??
    new Counter({ name: TOTAL, help: 'Reconciles by controller and result', labelNames: ['controller', 'result'], registers: [registry] })
  const duration =
    (registry.getSingleMetric(DURATION) as Histogram<'controller'> | undefined) ??
    new Histogram({
      name: DURATION,
      help: 'Reconcile duration by controller',
      labelNames: ['controller'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    })
  return {
    observe(controller, result, seconds) {
      total.inc({ controller, result })
      duration.observe({ controller }, seconds)
    },
  }
}
