import { errors, type KupeError } from '../../domain/errors.js'
import {
  isApiKeyId,
  isCredentialId,
  isEmail,
  isInvoiceName,
  isPlanName,
  isResourceName,
  isTenantName,
  isUuid,
  isVaultPath,
} from '../../domain/common/names.js'

/** Each path parameter kind and the exact error its violation gives (spec §1.7). */
const checks = {
  name: [isResourceName, errors.invalidName],
  tenantName: [isTenantName, errors.invalidTenantName],
  email: [isEmail, errors.invalidEmail],
  apiKeyId: [isApiKeyId, errors.invalidApiKeyId],
  credentialId: [isCredentialId, errors.invalidCredentialId],
  vaultPath: [isVaultPath, errors.invalidVaultPath],
  invoiceName: [isInvoiceName, errors.invalidInvoiceName],
  planName: [isPlanName, errors.planNotFound],
  uuid: [isUuid, errors.invalidId],
} satisfies Record<string, [(v: string) => boolean, () => KupeError]>

export type PathParamKind = keyof typeof checks

export function checkPathParam(kind: PathParamKind, value: string | undefined): void {
  const [ok, fail] = checks[kind]
  if (value === undefined || !ok(value)) throw fail()
}

/** An empty segment (`/plans/`, `/clusters/`) is a trailing slash, never a parameter value (§1.1). */
export const hasEmptyParam = (params: Record<string, string | undefined>): boolean =>
  Object.values(params).some((v) => v === '' || v === undefined)
