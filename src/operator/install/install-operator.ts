import { dumpYaml, type KubernetesObject } from '@kubernetes/client-node'
import { stringify } from 'yaml'
import { systemClock, type Clock } from '../../lib/clock.js'
import { operatorCrds } from '../crds/operator-crds.js'
import { installCrds } from '../install-crds.js'
import type { ObjectClient } from '../object-client.js'
import { operatorDeployment } from './operator-deployment.js'
import { operatorAccess } from './operator-rbac.js'

export interface InstallPlan {
  namespace: string
  /** Also run the operator itself from this image. */
  image?: string
  replicas?: number
}

/** Everything `kupe operator install` applies, in order (CRDs first, the Deployment last). */
export function installManifests(plan: InstallPlan): KubernetesObject[] {
  return [
    ...(operatorCrds() as KubernetesObject[]),
    ...operatorAccess(plan.namespace),
    ...(plan.image ? [operatorDeployment(plan.namespace, plan.image, plan.replicas)] : []),
  ]
}

/**
 * Applies the manifests server-side (safe to repeat: a second install changes nothing) and
 * waits for the CRDs to be served. Returns `kind/name` of each object, for the CLI to print.
 */
export async function installOperator(client: ObjectClient, plan: InstallPlan, clock: Clock = systemClock): Promise<string[]> {
  await installCrds(client, clock)
  const applied = operatorCrds().map((c) => `CustomResourceDefinition/${c.metadata.name}`)
  for (const obj of installManifests(plan).slice(applied.length)) {
    await client.apply(obj)
    applied.push(`${obj.kind}/${obj.metadata?.name}`)
  }
  return applied
}

/** The same manifests as one multi-document YAML, for `kubectl apply -f` or review (`--print`). */
export function renderManifests(plan: InstallPlan): string {
  const crds = operatorCrds().length
  return installManifests(plan)
    // CRDs are already the API server's JSON; the client's CRD model would drop their x-kubernetes-* keys.
    .map((obj, i) => (i < crds ? stringify(obj, { lineWidth: 0 }) : dumpYaml(obj)))
    .join('---\n')
}
