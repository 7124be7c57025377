import { createBuiltinVault } from './builtin/builtin-vault.js'
import type { VaultBackend, VaultDeps, VaultFactory } from './types.js'

/** Vault backends by name (STYLE.md rule 13); `openbao` joins this map when it exists. */
export const vaultBackends: Record<string, VaultFactory> = {
  builtin: createBuiltinVault,
}

/** The tenant vault in use. Only `builtin` exists today, so there is no setting yet. */
export function openVault(deps: VaultDeps): VaultBackend {
  return vaultBackends.builtin!(deps)
}
