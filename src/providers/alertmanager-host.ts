/**
 * An optional ability of a cluster provider (STYLE rule 13, like Vault's HABackend): running an
 * Alertmanager per tenant that loads the tenant's assembled configuration. The `local` provider
 * has it; `simulated` has not, and there configurations are only stored.
 */
export interface AlertmanagerHost {
  /**
   * Runs the tenant's Alertmanager on exactly this configuration file: starts it when it does not
   * run, reloads it when it runs another file. Safe to repeat; `ready` once it serves this file.
   */
  ensure(tenantId: string, configFile: string): Promise<AlertmanagerStatus>
  /** Stops the tenant's Alertmanager and removes its files (configuration, silences, log). */
  remove(tenantId: string): Promise<void>
  /** Tenants that have an Alertmanager here (running, or files left behind by an earlier server). */
  tenants(): string[]
}

export interface AlertmanagerStatus {
  ready: boolean
  /** Its API, `http://127.0.0.1:<port>` (Alertmanager's v2 API is under /api/v2). */
  url: string
  message: string
  /** When not ready: how soon another look is worth it (short while starting, long when it cannot run). */
  retryAfterMs?: number
}
