import type { ProviderFactory } from './types.js'
import { createSimulatedProvider } from './simulated/simulated-provider.js'

/** Cluster backends by name (STYLE.md rule 13). */
export const providerFactories: Record<string, ProviderFactory> = {
  simulated: createSimulatedProvider,
}
