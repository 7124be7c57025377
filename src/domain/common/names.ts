/** Name and identifier rules of spec §1.7, shared by path checks and body schemas. */
export const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
const dnsLabel = new RegExp(DNS_LABEL)

export function isDnsLabel(v: string, min: number, max = 63): boolean {
  return v.length >= min && v.length <= max && dnsLabel.test(v)
}

export function isDnsSubdomain(v: string): boolean {
  return v.length >= 1 && v.length <= 253 && v.split('.').every((l) => isDnsLabel(l, 1))
}

export const isTenantName = (v: string) => isDnsLabel(v, 2)
export const isResourceName = (v: string) => isDnsLabel(v, 2)
export const isApiKeyId = (v: string) => /^ak-[0-9a-f]{8}$/.test(v)
export const isCredentialId = (v: string) => /^cc-[0-9a-f]{8}$/.test(v)
export const isInvoiceName = (v: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v)
export const isPlanName = (v: string) => isDnsLabel(v, 1)
/** Ids of the manager API's objects (seed 004): lowercase UUIDs. */
export const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)
export const KUBERNETES_VERSION = '^[0-9]+\\.[0-9]+$'

const VAULT_PATH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/
export function isVaultPath(v: string): boolean {
  if (!VAULT_PATH.test(v) || v.endsWith('/')) return false
  return v.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
}

export function isVaultPrefix(v: string): boolean {
  return v.length <= 255 && /^[A-Za-z0-9._/-]*$/.test(v)
}

export const VAULT_DATA_KEY = '^[-._a-zA-Z0-9]{1,253}$'

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

export function hasControlCharacters(v: string): boolean {
  return CONTROL.test(v)
}

/** Email rule of §1.7 (checked on the value as sent; callers lowercase afterwards). */
export function isEmail(v: string): boolean {
  if (v.length > 254) return false
  const at = v.indexOf('@')
  if (at < 0 || at !== v.lastIndexOf('@')) return false
  const local = v.slice(0, at)
  const domain = v.slice(at + 1)
  if (local.length < 1 || local.length > 64 || /\s/.test(local) || hasControlCharacters(local)) return false
  if (!domain.includes('.') || domain.length > 253) return false
  return domain.split('.').every((l) => l.length >= 1 && l.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(l))
}
