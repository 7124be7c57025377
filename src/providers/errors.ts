/**
 * A provider failure that retrying cannot fix (bad spec, capacity refused, …). The cluster
 * controller records it as `Failed` (provisioning) or `Degraded`/`UpgradeFailed` (roll-out) and
 * stops retrying for this generation; any other error is retried with backoff.
 */
export class TerminalProviderError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TerminalProviderError'
  }
}
