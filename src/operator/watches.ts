import { makeInformer, type Informer, type KubernetesListObject, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node'
import type { Logger } from 'pino'
import type { CancelTimer, Clock } from '../lib/clock.js'
import type { AppObject } from './crds/app-crd.js'
import { GROUP, VERSION } from './crds/group.js'
import type { ProjectObject } from './crds/project-crd.js'
import type { TenantObject } from './crds/tenant-crd.js'
import { APPS, PROJECTS, TENANTS } from './custom-kinds.js'
import { MANAGED_SELECTOR } from './labels.js'
import type { ObjectClient } from './object-client.js'
import { controllerName } from './ownership.js'

/** What the reconcilers list from (the informers' caches of the three kinds). */
export interface OperatorCaches {
  tenants: ObjectCache<TenantObject>
  projects: ObjectCache<ProjectObject>
  apps: ObjectCache<AppObject>
}

/** An event about one key of one controller (ControllerRunner.enqueue). */
export type Wake = (controller: string, key: string, generation?: number) => void

export interface Watches {
  caches: OperatorCaches
  start(): Promise<void>
  stop(): Promise<void>
}

/** How long an informer whose watch failed waits before listing again. */
const RESTART_MS = 2_000

export const CONTROLLER_NAMES = { tenants: 'operator-tenants', projects: 'operator-projects', apps: 'operator-apps' } as const

/**
 * The operator's informers (@kubernetes/client-node `makeInformer`): its three kinds, and the
 * objects it makes — Namespaces, Deployments, Jobs, selected by the managed-by label — so a
 * change to either wakes the owner's key. An informer whose watch fails (the library then stops
 * it) lists and watches again after a pause.
 */
export function createWatches(client: ObjectClient, deps: { clock: Clock; logger: Pick<Logger, 'warn'>; wake: Wake }): Watches {
  const kc = client.kubeconfig
  const { wake } = deps
  const tenants = makeInformer<TenantObject>(kc, `/apis/${GROUP}/${VERSION}/tenants`, () => client.listCustomObjects<TenantObject>(TENANTS))
  const projects = makeInformer<ProjectObject>(kc, `/apis/${GROUP}/${VERSION}/projects`, () => client.listCustomObjects<ProjectObject>(PROJECTS))
  const apps = makeInformer<AppObject>(kc, `/apis/${GROUP}/${VERSION}/apps`, () => client.listCustomObjects<AppObject>(APPS))
  const list = <T extends KubernetesObject>(call: Promise<KubernetesListObject<T>>) => call
  const namespaces = makeInformer(kc, '/api/v1/namespaces', () => list(client.core.listNamespace({ labelSelector: MANAGED_SELECTOR })), MANAGED_SELECTOR)
  const deployments = makeInformer(kc, '/apis/apps/v1/deployments', () => list(client.apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR })), MANAGED_SELECTOR)
  const jobs = makeInformer(kc, '/apis/batch/v1/jobs', () => list(client.batch.listJobForAllNamespaces({ labelSelector: MANAGED_SELECTOR })), MANAGED_SELECTOR)

  const onChange = <T extends KubernetesObject>(informer: Informer<T>, handle: (obj: T) => void) => {
    for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, handle)
  }
  onChange(tenants, (t) => {
    wake(CONTROLLER_NAMES.tenants, t.metadata.name, t.metadata.generation)
    // A project waiting for its tenant goes on as soon as the tenant exists.
    for (const p of projects.list()) if (p.spec.tenantRef === t.metadata.name) wake(CONTROLLER_NAMES.projects, p.metadata.name, p.metadata.generation)
  })
  onChange(projects, (p) => {
    wake(CONTROLLER_NAMES.projects, p.metadata.name, p.metadata.generation)
    wake(CONTROLLER_NAMES.tenants, p.spec.tenantRef) // its project count, or its deletion waiting for this one
  })
  onChange(apps, (a) => wake(CONTROLLER_NAMES.apps, `${a.metadata.namespace}/${a.metadata.name}`, a.metadata.generation))
  onChange(namespaces, (ns) => {
    const owner = controllerName(ns, 'Project')
    if (owner) wake(CONTROLLER_NAMES.projects, owner)
  })
  for (const informer of [deployments, jobs] as Array<Informer<KubernetesObject>>) {
    onChange(informer, (obj) => {
      const owner = controllerName(obj, 'App')
      if (owner && obj.metadata?.namespace) wake(CONTROLLER_NAMES.apps, `${obj.metadata.namespace}/${owner}`)
    })
  }

  const all = [tenants, projects, apps, namespaces, deployments, jobs] as Array<Informer<KubernetesObject>>
  const restarts = new Set<CancelTimer>()
  let stopped = false
  for (const informer of all) {
    informer.on('error', (err: unknown) => {
      if (stopped) return
      deps.logger.warn({ err }, 'watch failed; listing again shortly')
      const cancel = deps.clock.setTimer(RESTART_MS, () => {
        restarts.delete(cancel)
        if (!stopped) void informer.start().catch(() => undefined) // a failed start reports through 'error' again
      })
      restarts.add(cancel)
    })
  }
  return {
    caches: { tenants, projects, apps },
    async start() {
      stopped = false
      await Promise.all(all.map((i) => i.start().catch(() => undefined)))
    },
    async stop() {
      stopped = true
      for (const cancel of restarts) cancel()
      restarts.clear()
      await Promise.all(all.map((i) => i.stop()))
    },
  }
}
