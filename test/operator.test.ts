import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api, type V1Deployment } from '@kubernetes/client-node'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { startOperator, type RunningOperator } from '../src/operator/start-operator.js'
import { eventually } from './helpers/eventually.js'
import { startKube, type Kube } from './k8s.js'

const run = promisify(execFile)
/** The client's model classes as plain JSON, for deepEqual. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown
const GROUP = 'platform.kubeop.io'
const VERSION = 'v1alpha1'
const FAST_LEASE = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryMs: 500 }
const TENANT_ID = '7f0c2a51-3c1e-4c55-9e59-2b1f3c1d0a01'
const PROJECT_ID = '0b6f1d2e-8a4c-4c1b-9d3e-5f6a7b8c9d02'
const APP_ID = '3c2b1a09-1d2e-4f3a-8b4c-6d5e4f3a2b03'

/**
 * The operator against a real kube-apiserver and kube-controller-manager (garbage collection,
 * namespace deletion, the Job and Deployment controllers). No kubelet here, so pods never run:
 * this file covers Tenants, Projects, the objects Apps make and deletion; the hook-and-rollout
 * flow with running pods is test/operator-flow.test.ts on the host cluster.
 */
describe('operator on kube-apiserver + kube-controller-manager', () => {
  let kube: Kube
  let yaml: string
  let operator: RunningOperator
  let metrics: Registry
  let core: CoreV1Api
  let apps: AppsV1Api
  let batch: BatchV1Api
  let net: NetworkingV1Api
  let custom: CustomObjectsApi

  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', kube.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout
  const apply = (obj: unknown) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile('kubectl', ['--kubeconfig', kube.kubeconfigPath, 'apply', '--server-side', '--field-manager=test', '-f', '-'], (err, stdout, stderr) =>
        err ? reject(new Error(stderr)) : resolve(stdout))
      child.stdin?.end(JSON.stringify(obj))
    })
  const cluster = (plural: string, name: string) => custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural, name }) as Promise<any>
  const namespaced = (plural: string, namespace: string, name: string) => custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural, namespace, name }) as Promise<any>
  const gone = async (read: () => Promise<unknown>) => {
    try {
      await read()
      return undefined
    } catch (err: any) {
      return err?.code === 404 ? true : undefined
    }
  }
  const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type)
  const readyWith = (reason: string) => (obj: any) => (condition(obj, 'Ready')?.reason === reason ? obj : undefined)

  const tenant = (name: string, labels: Record<string, string> = {}) => ({
    apiVersion: `${GROUP}/${VERSION}`, kind: 'Tenant', metadata: { name, labels }, spec: { name, quota: { cpu: '8', memory: '16Gi', pods: 50 } },
  })
  const project = (name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}) => ({
    apiVersion: `${GROUP}/${VERSION}`, kind: 'Project', metadata: { name, labels }, spec,
  })

  before(async () => {
    kube = await startKube({ controllerManager: true })
    yaml = readFileSync(kube.kubeconfigPath, 'utf8')
    const kc = new KubeConfig()
    kc.loadFromString(yaml)
    core = kc.makeApiClient(CoreV1Api)
    apps = kc.makeApiClient(AppsV1Api)
    batch = kc.makeApiClient(BatchV1Api)
    net = kc.makeApiClient(NetworkingV1Api)
    custom = kc.makeApiClient(CustomObjectsApi)
    metrics = new Registry()
    operator = startOperator({
      kubeconfig: yaml, logger: pino({ level: 'silent' }), metrics, identity: 'op-test', leaseNamespace: 'kube-system',
      installCrds: true, leaderElection: FAST_LEASE, resyncMs: 2_000,
    })
    await eventually(async () => ((await kubectl('get', 'crd', '-o', 'name')).includes('apps.platform.kubeop.io') ? true : undefined), 30_000, 'the CRDs')
  })
  after(async () => {
    await operator?.stop()
    await kube?.stop()
  })

  test('the operator leads, and the CRDs it installed are served with their printer columns', async () => {
    await eventually(async () => (operator.isLeader() ? true : undefined), 10_000, 'leadership')
    const lease = (await run('kubectl', ['--kubeconfig', kube.kubeconfigPath, '-n', 'kube-system', 'get', 'lease', 'kupe-operator', '-o', 'jsonpath={.spec.holderIdentity}'], { encoding: 'utf8' })).stdout
    assert.equal(lease, 'op-test')
    const resources = await kubectl('api-resources', '--api-group', GROUP, '--no-headers')
    assert.match(resources, /^apps\s+kapp\s+platform\.kubeop\.io\/v1alpha1\s+true\s+App$/m)
    assert.match(resources, /^projects\s+proj\s+platform\.kubeop\.io\/v1alpha1\s+false\s+Project$/m)
    assert.match(resources, /^tenants\s+ten\s+platform\.kubeop\.io\/v1alpha1\s+false\s+Tenant$/m)
  })

  test('Project → namespace with tenant/project labels, ResourceQuota, LimitRange and NetworkPolicies; status Ready at its generation', async () => {
    await apply(tenant('acme', { 'app.kubeop.io/tenant-id': TENANT_ID }))
    await apply(project('acme-web', { tenantRef: 'acme', name: 'web', quota: { cpu: '2', memory: '4Gi', pods: 10 } }, { 'app.kubeop.io/project-id': PROJECT_ID }))
    const p = await eventually(async () => readyWith('Provisioned')(await cluster('projects', 'acme-web')), 20_000, 'the project to be Ready')
    assert.equal(p.status.namespace, 'kubeop-acme-web')
    assert.equal(p.status.phase, 'Ready')
    assert.equal(p.status.observedGeneration, p.metadata.generation)
    assert.deepEqual(p.metadata.finalizers, ['platform.kubeop.io/cleanup'])

    const ns = await core.readNamespace({ name: 'kubeop-acme-web' })
    assert.equal(ns.metadata?.labels?.['app.kubeop.io/tenant-id'], TENANT_ID)
    assert.equal(ns.metadata?.labels?.['app.kubeop.io/project-id'], PROJECT_ID)
    assert.equal(ns.metadata?.labels?.['app.kubeop.io/tenant'], 'acme')
    assert.equal(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'baseline')
    assert.deepEqual(ns.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['Project', 'acme-web', p.metadata.uid]])

    const quota = await core.readNamespacedResourceQuota({ name: 'kubeop-quota', namespace: 'kubeop-acme-web' })
    assert.deepEqual(quota.spec?.hard, { 'requests.cpu': '2', 'requests.memory': '4Gi', pods: '10' })
    const limits = await core.readNamespacedLimitRange({ name: 'kubeop-defaults', namespace: 'kubeop-acme-web' })
    assert.deepEqual(limits.spec?.limits[0]?.defaultRequest, { cpu: '100m', memory: '64Mi' })
    assert.deepEqual(limits.spec?.limits[0]?._default, { cpu: '500m', memory: '256Mi' })
    const policies = await net.listNamespacedNetworkPolicy({ namespace: 'kubeop-acme-web' })
    const byName = Object.fromEntries(policies.items.map((np) => [np.metadata?.name, np.spec]))
    assert.deepEqual(byName['kubeop-default-deny']?.policyTypes, ['Ingress'])
    assert.equal(byName['kubeop-default-deny']?.ingress, undefined, 'deny: no ingress rule at all')
    assert.deepEqual(plain(byName['kubeop-allow-same-namespace']?.ingress?.[0]?._from?.[0]?.podSelector), {})

    const wide = await kubectl('get', 'projects', 'acme-web', '--no-headers')
    assert.match(wide, /^acme-web\s+acme\s+kubeop-acme-web\s+Ready\s+True\s+/)
  })

  test('a pass over an unchanged project writes nothing (server-side apply is a no-op)', async () => {
    const versions = async () => {
      const [ns, q, l, p] = await Promise.all([
        core.readNamespace({ name: 'kubeop-acme-web' }),
        core.readNamespacedResourceQuota({ name: 'kubeop-quota', namespace: 'kubeop-acme-web' }),
        core.readNamespacedLimitRange({ name: 'kubeop-defaults', namespace: 'kubeop-acme-web' }),
        cluster('projects', 'acme-web'),
      ])
      return [ns.metadata?.resourceVersion, q.metadata?.resourceVersion, l.metadata?.resourceVersion, p.metadata.resourceVersion]
    }
    const before = await versions()
    const passes = async () => (await metrics.getMetricsAsJSON()).find((m) => m.name === 'kupe_reconcile_total')?.values
      .filter((v) => v.labels.controller === 'operator-projects').reduce((n, v) => n + v.value, 0) ?? 0
    const start = await passes()
    await eventually(async () => ((await passes()) >= start + 2 ? true : undefined), 15_000, 'two more resync passes')
    assert.deepEqual(await versions(), before)
  })

  test('changing the quota updates the ResourceQuota; removing it removes the ResourceQuota', async () => {
    await apply(project('acme-web', { tenantRef: 'acme', name: 'web', quota: { cpu: '3', pods: 12 } }, { 'app.kubeop.io/project-id': PROJECT_ID }))
    await eventually(async () => {
      const q = await core.readNamespacedResourceQuota({ name: 'kubeop-quota', namespace: 'kubeop-acme-web' })
      return q.spec?.hard?.['requests.cpu'] === '3' ? q : undefined
    }, 15_000, 'the new quota')
    const q = await core.readNamespacedResourceQuota({ name: 'kubeop-quota', namespace: 'kubeop-acme-web' })
    assert.deepEqual(q.spec?.hard, { 'requests.cpu': '3', pods: '12' }, 'memory dropped from the quota is dropped from the ResourceQuota')
    await apply(project('acme-web', { tenantRef: 'acme', name: 'web' }, { 'app.kubeop.io/project-id': PROJECT_ID }))
    await eventually(() => gone(() => core.readNamespacedResourceQuota({ name: 'kubeop-quota', namespace: 'kubeop-acme-web' })), 15_000, 'the quota to go')
    const p = await eventually(async () => {
      const obj = await cluster('projects', 'acme-web')
      return obj.status.observedGeneration === obj.metadata.generation ? obj : undefined
    }, 15_000, 'the new generation observed')
    assert.equal(condition(p, 'Ready')?.status, 'True')
  })

  test('a namespace that belongs to someone else is a terminal conflict, recorded and not retried', async () => {
    await apply(project('acme-sys', { tenantRef: 'acme', name: 'sys', namespace: 'kube-system' }))
    const p = await eventually(async () => readyWith('NamespaceConflict')(await cluster('projects', 'acme-sys')), 15_000, 'the conflict')
    assert.equal(p.status.phase, 'Degraded')
    assert.match(condition(p, 'Ready').message, /namespace "kube-system" already exists and does not belong to this project/)
    const terminal = async () => (await metrics.getMetricsAsJSON()).find((m) => m.name === 'kupe_reconcile_total')?.values
      .find((v) => v.labels.controller === 'operator-projects' && v.labels.result === 'terminal')?.value
    // The status is written inside the reconcile, its result counted when the reconcile returns.
    assert.equal(await eventually(terminal, 5_000, 'the terminal reconcile counted'), 1)
    const ns = await core.readNamespace({ name: 'kube-system' })
    assert.equal(ns.metadata?.labels?.['app.kubeop.io/project'], undefined, 'kube-system was not touched')
    // Deleting it does not wait for a namespace it never owned.
    await custom.deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'projects', name: 'acme-sys' })
    await eventually(() => gone(() => cluster('projects', 'acme-sys')), 15_000, 'the conflicting project to go')
    assert.equal((await core.readNamespace({ name: 'kube-system' })).status?.phase, 'Active')
  })

  test('a project whose tenant does not exist waits (Pending) and proceeds when the tenant appears', async () => {
    await apply(project('later-api', { tenantRef: 'later', name: 'api' }))
    const p = await eventually(async () => readyWith('TenantNotFound')(await cluster('projects', 'later-api')), 15_000, 'TenantNotFound')
    assert.equal(p.status.phase, 'Pending')
    await apply(tenant('later'))
    await eventually(async () => readyWith('Provisioned')(await cluster('projects', 'later-api')), 15_000, 'the project once its tenant exists')
    const t = await eventually(async () => ((await cluster('tenants', 'later')).status?.projects === 1 ? cluster('tenants', 'later') : undefined), 15_000, 'the tenant to count it')
    assert.equal(condition(t, 'Ready')?.status, 'True')
    assert.match(await kubectl('get', 'tenants', 'later', '--no-headers'), /^later\s+later\s+1\s+Ready\s+True\s+/)
  })

  test('App → Deployment at the spec revision, Service, Ingress; a pre hook Job comes first and the Deployment waits for it', async () => {
    const ns = 'kubeop-acme-web'
    const app = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: `${GROUP}/${VERSION}`, kind: 'App', metadata: { name, namespace: ns, labels: { 'app.kubeop.io/app-id': APP_ID } }, spec,
    })
    await apply(app('web', { image: 'kupe.local/busybox:1', replicas: 2, ports: [{ containerPort: 8080, servicePort: 80 }], env: [{ name: 'MODE', value: 'prod' }], host: 'web.acme.example' }))
    const d = await eventually(() => apps.readNamespacedDeployment({ name: 'web', namespace: ns }).catch(() => undefined), 15_000, 'the Deployment')
    const revision = d.metadata?.annotations?.['app.kubeop.io/revision']
    assert.match(revision ?? '', /^[0-9a-f]{10}$/)
    assert.equal(d.spec?.replicas, 2)
    assert.equal(d.spec?.template.metadata?.labels?.['app.kubeop.io/app-id'], APP_ID)
    assert.equal(d.spec?.template.metadata?.labels?.['app.kubeop.io/project-id'], PROJECT_ID, 'ids come from the namespace when the App does not carry them')
    assert.deepEqual(plain(d.spec?.template.spec?.containers[0]?.env), [{ name: 'MODE', value: 'prod' }])
    // The same pass applies the Service and the Ingress right after the Deployment.
    const svc = await eventually(() => core.readNamespacedService({ name: 'web', namespace: ns }), 15_000, 'the Service')
    assert.deepEqual(svc.spec?.ports?.map((p) => [p.port, p.targetPort]), [[80, 8080]])
    const ing = await eventually(() => net.readNamespacedIngress({ name: 'web', namespace: ns }), 15_000, 'the Ingress')
    assert.equal(ing.spec?.rules?.[0]?.host, 'web.acme.example')
    // No kubelet: the pods never become available, so the rollout stays in progress.
    const a = await eventually(async () => {
      const obj = await namespaced('apps', ns, 'web')
      return condition(obj, 'Progressing')?.reason === 'RollingOut' ? obj : undefined
    }, 15_000, 'RollingOut')
    assert.equal(a.status.phase, 'Progressing')
    assert.equal(condition(a, 'Ready').status, 'False')
    assert.equal(condition(a, 'Progressing').status, 'True')

    // A new image with a pre hook: the hook's Job is created; the Deployment stays on the old revision.
    await apply(app('web', {
      image: 'kupe.local/busybox:2', replicas: 2, ports: [{ containerPort: 8080, servicePort: 80 }], env: [{ name: 'MODE', value: 'prod' }], host: 'web.acme.example',
      hooks: { pre: [{ name: 'migrate', command: ['sh', '-c', 'echo migrating'] }] },
    }))
    const job = await eventually(async () => (await batch.listNamespacedJob({ namespace: ns, labelSelector: 'app.kubeop.io/hook-phase=pre' })).items[0], 15_000, 'the pre hook Job')
    assert.equal(job.metadata?.labels?.['app.kubeop.io/app-id'], APP_ID)
    assert.equal(job.spec?.template.spec?.containers[0]?.image, 'kupe.local/busybox:2', 'a hook runs the app image by default')
    const pending = await eventually(async () => {
      const obj = await namespaced('apps', ns, 'web')
      return condition(obj, 'Progressing')?.reason === 'PreHooksRunning' ? obj : undefined
    }, 15_000, 'PreHooksRunning')
    assert.deepEqual(pending.status.hooks.map((h: any) => [h.phase, h.name, h.result]), [['pre', 'migrate', 'Running']])
    assert.notEqual(pending.status.desiredRevision, revision)
    assert.equal(pending.status.revision, revision)
    const still = await apps.readNamespacedDeployment({ name: 'web', namespace: ns })
    assert.equal(still.metadata?.annotations?.['app.kubeop.io/revision'], revision, 'the Deployment waits for its pre hooks')
    assert.equal(still.spec?.template.spec?.containers[0]?.image, 'kupe.local/busybox:1')
  })

  test('deleting the App removes its Deployment, Service, Ingress and hook Jobs before the App goes', async () => {
    const ns = 'kubeop-acme-web'
    await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural: 'apps', namespace: ns, name: 'web' })
    await eventually(() => gone(() => namespaced('apps', ns, 'web')), 30_000, 'the App to go')
    await assert.rejects(apps.readNamespacedDeployment({ name: 'web', namespace: ns }), (e: any) => e.code === 404)
    await assert.rejects(core.readNamespacedService({ name: 'web', namespace: ns }), (e: any) => e.code === 404)
    await assert.rejects(net.readNamespacedIngress({ name: 'web', namespace: ns }), (e: any) => e.code === 404)
    assert.deepEqual((await batch.listNamespacedJob({ namespace: ns })).items, [])
    assert.deepEqual((await core.listNamespacedPod({ namespace: ns })).items.map((p) => p.metadata?.name), [], 'foreground deletion: the hook pod went first')
  })

  test('deleting a Tenant deletes its Projects, their namespaces go, and the Tenant goes last', async () => {
    const deployments = async () => (await apps.listDeploymentForAllNamespaces({ labelSelector: 'app.kubernetes.io/managed-by=kupe-operator' })).items as V1Deployment[]
    assert.deepEqual(await deployments(), [])
    await custom.deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'tenants', name: 'acme' })
    // Its project's namespace takes seconds to finish deleting: long enough to see the tenant wait.
    const deleting = await eventually(async () => {
      const t = await cluster('tenants', 'acme')
      return t.status?.phase === 'Deleting' ? t : undefined
    }, 15_000, 'the tenant to start deleting')
    assert.match(condition(deleting, 'Ready').message, /waiting for 1 project\(s\) to be deleted/)
    await eventually(() => gone(() => cluster('tenants', 'acme')), 90_000, 'the tenant to go')
    await assert.rejects(cluster('projects', 'acme-web'), (e: any) => e.code === 404)
    await assert.rejects(core.readNamespace({ name: 'kubeop-acme-web' }), (e: any) => e.code === 404)
  })
})
