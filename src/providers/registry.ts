import type { ProviderFactory } from './types.js'
import { createLocalProvider } from './local/local-provider.js'
import { createSimulatedProvider } from './simulated/simulated-provider.js'

/** Cluster backends by name (STYLE.md rule 13). */
export const providerFactories: Record<string, ProviderFactory> = {
  simulated: createSimulatedProvider,
  local: createLocalProvider,
}
