/**
 * Outbound events (seed 004, kubeOP's `KUBEOP_HOOK_URL` webhook): written to the outbox in the
 * transaction of the change they announce, delivered afterwards with retries and an HMAC
 * signature (docs/decisions/0010). Payloads carry ids and names, never secrets.
 */
export const EVENT_TYPES = [
  'cluster.registered', 'cluster.ready', 'cluster.deleted',
  'tenant.created', 'tenant.deleted',
  'project.created', 'project.ready', 'project.deleted',
  'app.created', 'app.updated', 'app.ready', 'app.deleted',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export type EventPayload = Record<string, string | number | boolean | null>
