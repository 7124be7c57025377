import { createBuiltinVault } from './builtin/builtin-vault.js'
import type { VaultBackend, VaultDeps, VaultFactory } from './types.js'

/** Vault backends by name (STYLE.md rule 13); `openbao` joins this map when it exists. */
export const vaultBackends: Record<string, VaultFactory> = {
  builtin: createBuiltinVault,
}

const opened = new WeakMap<VaultDeps, VaultBackend>()

/**
 * The tenant vault in use, one per deps object (every request of a server shares it). Only
 * `builtin` exists today, so there is no setting yet.
 */
export function openVault(deps: VaultDeps): VaultBackend {
  let backend = opened.get(deps)
  if (!backend) {
    backend = vaultBackends.builtin!(deps)
    opened.set(deps, backend)
  }
  return backend
}
