import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse, stringify } from 'yaml'
import { usageError } from './errors.js'

/** One named connection: which server, which tenant, which credential. */
export interface ContextEntry {
  name: string
  apiUrl: string
  tenant?: string
  /** Tenant API key (kupe_…). */
  token?: string
  /** Platform admin token, for `kupe admin …`. */
  adminToken?: string
  /** A member's sign-in through the server's OpenID issuer (`kupe auth login --oidc`, decision 0034). */
  oidc?: OidcCredential
}

/** What `kupe auth login --oidc` keeps: the ID token is the bearer; the refresh token renews it. */
export interface OidcCredential {
  issuer: string
  clientId: string
  /** The member the token names (its `email` claim), for `whoami` and `get-contexts`. */
  email: string
  idToken: string
  /** ISO time of the ID token's `exp`. */
  expiresAt: string
  refreshToken?: string
}

/** ~/.config/kupe/config.yaml */
export interface ConfigFile {
  currentContext?: string
  contexts: ContextEntry[]
}

/** The flags every command accepts (they win over the environment and the file). */
export interface GlobalFlags {
  apiUrl?: string
  tenant?: string
  context?: string
  config?: string
}

export type Source = 'flag' | 'env' | 'config' | 'default'

export interface Settings {
  apiUrl: string
  tenant?: string
  token?: string
  adminToken?: string
  /** The member sign-in of the context; used when no API key (flag, environment or context) is set. */
  oidc?: OidcCredential
  /** The context in use, if any. */
  context?: string
  sources: { apiUrl: Source; tenant?: Source; token?: Source; adminToken?: Source }
}

export const DEFAULT_API_URL = 'http://localhost:8080'

/** Flag > KUPE_CONFIG > $XDG_CONFIG_HOME/kupe/config.yaml > ~/.config/kupe/config.yaml. */
export function configPathOf(flags: GlobalFlags, env: NodeJS.ProcessEnv): string {
  if (flags.config) return flags.config
  if (env.KUPE_CONFIG) return env.KUPE_CONFIG
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return join(base, 'kupe', 'config.yaml')
}

export function readConfigFile(path: string): ConfigFile {
  if (!existsSync(path)) return { contexts: [] }
  let raw: unknown
  try {
    raw = parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw usageError(`cannot read ${path}: ${(err as Error).message}`)
  }
  if (raw === null || raw === undefined) return { contexts: [] }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw usageError(`cannot read ${path}: not a YAML mapping`)
  const r = raw as { currentContext?: unknown; contexts?: unknown }
  const contexts = Array.isArray(r.contexts) ? r.contexts.filter(isContext) : []
  return { ...(typeof r.currentContext === 'string' ? { currentContext: r.currentContext } : {}), contexts }
}

function isContext(v: unknown): v is ContextEntry {
  return !!v && typeof v === 'object' && typeof (v as ContextEntry).name === 'string' && typeof (v as ContextEntry).apiUrl === 'string'
}

/** Written atomically with mode 0600: it holds credentials. */
export function writeConfigFile(path: string, file: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, stringify(file), { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
}

/** `http://host:8080/api/v1/` → `http://host:8080`: the generated paths start with /api/v1. */
export function normaliseApiUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '').replace(/\/api\/v1$/, '')
  try {
    const u = new URL(trimmed)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)')
  } catch {
    throw usageError(`invalid API URL "${url}": expected http(s)://host[:port]`)
  }
  return trimmed
}

/** Flags > environment > the file's context (named by --context/KUPE_CONTEXT, else current). */
export function resolveSettings(flags: GlobalFlags, env: NodeJS.ProcessEnv, file: ConfigFile): Settings {
  const contextName = flags.context ?? env.KUPE_CONTEXT ?? file.currentContext
  const ctx = contextName ? file.contexts.find((c) => c.name === contextName) : undefined
  if ((flags.context ?? env.KUPE_CONTEXT) && !ctx) throw usageError(`context "${contextName}" not found (see \`kupe config get-contexts\`)`)
  const pick = <T>(flag: T | undefined, envValue: T | undefined, fileValue: T | undefined): [T | undefined, Source | undefined] =>
    flag !== undefined && flag !== '' ? [flag, 'flag'] : envValue ? [envValue, 'env'] : fileValue ? [fileValue, 'config'] : [undefined, undefined]
  const [apiUrl, apiUrlSource] = pick(flags.apiUrl, env.KUPE_API_URL, ctx?.apiUrl)
  const [tenant, tenantSource] = pick(flags.tenant, env.KUPE_TENANT, ctx?.tenant)
  const [token, tokenSource] = pick(undefined, env.KUPE_API_TOKEN, ctx?.token)
  const [adminToken, adminSource] = pick(undefined, env.KUPE_ADMIN_TOKEN, ctx?.adminToken)
  return {
    apiUrl: normaliseApiUrl(apiUrl ?? DEFAULT_API_URL),
    ...(tenant ? { tenant } : {}),
    ...(token ? { token } : {}),
    ...(adminToken ? { adminToken } : {}),
    ...(ctx?.oidc && isOidcCredential(ctx.oidc) ? { oidc: ctx.oidc } : {}),
    ...(ctx ? { context: ctx.name } : {}),
    sources: {
      apiUrl: apiUrlSource ?? 'default',
      ...(tenantSource ? { tenant: tenantSource } : {}),
      ...(tokenSource ? { token: tokenSource } : {}),
      ...(adminSource ? { adminToken: adminSource } : {}),
    },
  }
}

function isOidcCredential(v: unknown): v is OidcCredential {
  const o = v as Partial<OidcCredential> | null
  return !!o && typeof o === 'object' && [o.issuer, o.clientId, o.email, o.idToken, o.expiresAt].every((f) => typeof f === 'string')
}
