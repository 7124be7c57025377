import { createKupeClient, type KupeClient } from '../api/client.js'
import { defaultRetryPolicy } from '../api/retrying-fetch.js'
import { notLoggedIn, usageError } from './errors.js'
import { upsertContext } from './contexts.js'
import type { Io } from './io.js'
import { oidcBearer } from './oidc.js'
import { configPathOf, readConfigFile, resolveSettings, writeConfigFile, type ConfigFile, type GlobalFlags, type Settings } from './settings.js'

/**
 * What a command needs from its surroundings, resolved lazily so that `kupe config …` works
 * without a server and `kupe plan list` without credentials.
 */
export interface Session {
  /** The global flags as given (before the environment and the file). */
  readonly flags: GlobalFlags
  readonly configPath: string
  configFile(): ConfigFile
  saveConfigFile(file: ConfigFile): void
  settings(): Settings
  /** The tenant every tenant command addresses. */
  tenant(): string
  /** Authenticated with the tenant API key, else the member's sign-in (`kupe auth login --oidc`). */
  api(): KupeClient
  /** Authenticated with the platform admin token. */
  adminApi(): KupeClient
  /** No credentials (public routes). */
  publicApi(): KupeClient
  /** Any token, for probing a credential before it is saved. */
  apiWithToken(token: string, apiUrl?: string): KupeClient
}

export function createSession(flags: GlobalFlags, io: Io): Session {
  const configPath = configPathOf(flags, io.env)
  let file: ConfigFile | undefined
  let settings: Settings | undefined
  let memberBearer: (() => Promise<string>) | undefined
  const hooks = { sleep: io.sleep, notice: (m: string) => void io.stderr.write(`kupe: ${m}\n`) }
  const client = (token: string | (() => Promise<string>) | undefined, baseUrl: string) =>
    createKupeClient({ baseUrl, ...(token ? { token } : {}), policy: defaultRetryPolicy, hooks })
  const session: Session = {
    flags,
    configPath,
    configFile: () => (file ??= readConfigFile(configPath)),
    saveConfigFile(next) {
      writeConfigFile(configPath, next)
      file = next
      settings = undefined
    },
    settings: () => (settings ??= resolveSettings(flags, io.env, session.configFile())),
    tenant() {
      const t = session.settings().tenant
      if (!t) throw usageError('no tenant: pass --tenant, set KUPE_TENANT, or save one with `kupe config set-context`')
      return t
    },
    api() {
      const s = session.settings()
      if (s.token) return client(s.token, s.apiUrl)
      if (s.oidc && s.context) {
        const context = s.context
        // One per process: two clients must not both spend a refresh token the issuer rotates.
        memberBearer ??= oidcBearer(s.oidc, io, (oidc) => {
          const current = session.configFile()
          const entry = current.contexts.find((c) => c.name === context)
          if (entry) session.saveConfigFile(upsertContext(current, { ...entry, oidc }))
        })
        return client(memberBearer, s.apiUrl)
      }
      throw notLoggedIn('not logged in: run `kupe auth login` (or `kupe auth login --oidc`) or set KUPE_API_TOKEN')
    },
    adminApi() {
      const s = session.settings()
      if (!s.adminToken) throw notLoggedIn('no admin token: set KUPE_ADMIN_TOKEN or run `kupe auth login --admin`')
      return client(s.adminToken, s.apiUrl)
    },
    publicApi: () => client(undefined, session.settings().apiUrl),
    apiWithToken: (token, apiUrl) => client(token, apiUrl ?? session.settings().apiUrl),
  }
  return session
}
