/** Name and identifier rules of spec §1.7, shared by path checks and body schemas. */
export const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
const dnsLabel = new RegExp(DNS_LABEL)

export function isDnsLabel(v: string, min: number, max = 63): boolean {
  return v.length >= min && v.length <= max && dnsLabel.test(v)
}

/**
 * The rules below are written as JSON Schema patterns (ECMA-262, checked with the `u` flag) so
 * that the OpenAPI document states them exactly as the server checks them
 * (docs/decisions/0022-fuzzing-the-api.md); each check is its pattern plus a length.
 */
const LABEL_63 = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?'
export const DNS_SUBDOMAIN = `^${LABEL_63}(\\.${LABEL_63})*$`
const dnsSubdomain = new RegExp(DNS_SUBDOMAIN, 'u')

export function isDnsSubdomain(v: string): boolean {
  return v.length <= 253 && dnsSubdomain.test(v)
}

export const isTenantName = (v: string) => isDnsLabel(v, 2)
export const isResourceName = (v: string) => isDnsLabel(v, 2)
export const API_KEY_ID = '^ak-[0-9a-f]{8}$'
export const CREDENTIAL_ID = '^cc-[0-9a-f]{8}$'
/** An invoice, and the billing period it covers: `YYYY-MM`. */
export const INVOICE_NAME = '^\\d{4}-(0[1-9]|1[0-2])$'
export const isApiKeyId = (v: string) => new RegExp(API_KEY_ID).test(v)
export const isCredentialId = (v: string) => new RegExp(CREDENTIAL_ID).test(v)
export const isInvoiceName = (v: string) => new RegExp(INVOICE_NAME).test(v)
export const isPlanName = (v: string) => isDnsLabel(v, 1)
/** Ids of the manager API's objects (seed 004): lowercase UUIDs. */
export const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)
export const KUBERNETES_VERSION = '^[0-9]+\\.[0-9]+$'
/**
 * Marks a schema whose value must be one of the server's supported Kubernetes versions (its
 * configuration): the OpenAPI document lists them as an `enum` there, beside the marker.
 */
export const SUPPORTED_VERSION = 'x-kupe-supported-version'

/** Segments of letters, digits, `.`, `_`, `-`, joined by `/`; none empty, `.` or `..`; the first starts with a letter or digit. */
const VAULT_SEGMENT = '(?:[A-Za-z0-9_-][A-Za-z0-9._-]*|\\.(?:[A-Za-z0-9_-][A-Za-z0-9._-]*|\\.[A-Za-z0-9._-]+))'
export const VAULT_PATH = `^[A-Za-z0-9][A-Za-z0-9._-]*(/${VAULT_SEGMENT})*$`
export const VAULT_PATH_MAX = 255
const vaultPath = new RegExp(VAULT_PATH, 'u')

export function isVaultPath(v: string): boolean {
  return v.length <= VAULT_PATH_MAX && vaultPath.test(v)
}

export const VAULT_PREFIX = '^[A-Za-z0-9._/-]*$'

export function isVaultPrefix(v: string): boolean {
  return v.length <= VAULT_PATH_MAX && new RegExp(VAULT_PREFIX).test(v)
}

export const VAULT_DATA_KEY = '^[-._a-zA-Z0-9]{1,253}$'

const CONTROL_CHARS = '\\u0000-\\u001f\\u007f-\\u009f'
/** What JavaScript's `\\s` and `trim()` count as white space, outside the control characters. */
const SPACES = ' \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff'
/** Display names and other free text: no control characters. */
export const NO_CONTROL_CHARACTERS = `^[^${CONTROL_CHARS}]*$`
/** The same, and not blank. */
export const NONBLANK_TEXT = `^[^${CONTROL_CHARS}]*[^${CONTROL_CHARS}${SPACES}][^${CONTROL_CHARS}]*$`
/** Email rule of §1.7: 1–64 characters but `@`, white space and control characters, then a domain of two or more labels. */
const EMAIL_LABEL = '[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?'
export const EMAIL = `^[^@${CONTROL_CHARS}${SPACES}]{1,64}@${EMAIL_LABEL}(\\.${EMAIL_LABEL})+$`
export const EMAIL_MAX = 254
const email = new RegExp(EMAIL, 'u')

/** Checked on the value as sent; callers lowercase afterwards. */
export function isEmail(v: string): boolean {
  return v.length <= EMAIL_MAX && email.test(v)
}
