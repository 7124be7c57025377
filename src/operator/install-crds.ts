import { sleep, type Clock } from '../lib/clock.js'
import { operatorCrds } from './crds/operator-crds.js'
import type { ObjectClient } from './object-client.js'

/** Applies the three CRDs (server-side, idempotent) and waits until the API server serves them. */
export async function installCrds(client: ObjectClient, clock: Clock, signal?: AbortSignal, timeoutMs = 30_000): Promise<void> {
  const crds = operatorCrds()
  for (const crd of crds) await client.applyCrd(crd)
  const deadline = clock.now().getTime() + timeoutMs
  for (;;) {
    const established = await Promise.all(crds.map((c) => client.crdEstablished(c.metadata.name)))
    if (established.every(Boolean)) return
    if (clock.now().getTime() > deadline) throw new Error(`CRDs not established within ${timeoutMs / 1000} s`)
    await sleep(clock, 100, signal)
  }
}
