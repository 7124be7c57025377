// test engines: one — its subject is the operator reconciling CRDs on the host cluster (its state is in Kubernetes) (decision 0031).
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V1Job } from '@kubernetes/client-node'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { startOperator, type RunningOperator } from '../src/operator/start-operator.js'
import { hostCluster, type SharedHostCluster } from './helpers/host-cluster-shared.js'
import { eventually } from './helpers/eventually.js'
import { runJob, serviceClientScript } from './helpers/host-jobs.js'
import { tagLocalImage } from './helpers/host-images.js'

const run = promisify(execFile)
const GROUP = 'platform.kubeop.io'
const VERSION = 'v1alpha1'
const POD_MS = 180_000

/**
 * The whole delivery flow on the host cluster, whose kubelet really runs pods: Tenant → Project →
 * App with two pre hooks and a post hook. The hooks' containers run and exit 0 in order, the app's
 * pods run and its Service answers HTTP from another pod, a new image rolls out a new revision, a
 * failing pre hook leaves the old revision serving, and deleting everything leaves nothing behind.
 */
describe('operator flow on a host cluster with a kubelet', () => {
  let cluster: SharedHostCluster
  let operator: RunningOperator
  let core: CoreV1Api
  let apps: AppsV1Api
  let batch: BatchV1Api
  let custom: CustomObjectsApi
  const suffix = randomBytes(3).toString('hex')
  const tenant = `flow-${suffix}`
  const project = `flow-${suffix}-web`
  const ns = `flow-${suffix}`
  const ids = { tenant: randomUUID(), project: randomUUID(), app: randomUUID() }
  let image1: string
  let image2: string

  const kind = (k: string, name: string, spec: unknown, labels: Record<string, string>, namespace?: string) => ({
    apiVersion: `${GROUP}/${VERSION}`, kind: k, metadata: { name, labels, ...(namespace ? { namespace } : {}) }, spec,
  })
  const apply = (obj: unknown) =>
    new Promise<void>((resolve, reject) => {
      const child = execFile('kubectl', ['--kubeconfig', cluster.kubeconfigPath, 'apply', '--server-side', '--field-manager=test', '-f', '-'], (err, _out, stderr) =>
        err ? reject(new Error(stderr)) : resolve())
      child.stdin?.end(JSON.stringify(obj))
    })
  const readApp = () => custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: 'apps', namespace: ns, name: 'web' }) as Promise<any>
  const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type)
  const httpd = (version: string) => ({
    command: ['sh', '-c', 'mkdir -p /www && echo "version $VERSION from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www'],
    env: [{ name: 'VERSION', value: version }],
  })
  const hook = (name: string, script: string) => ({ name, command: ['sh', '-c', script], timeoutSeconds: 120 })
  const appSpec = (image: string, version: string, pre: unknown[]) => ({
    image, replicas: 2, ...httpd(version), ports: [{ containerPort: 8080, servicePort: 80 }],
    hooks: { pre, post: [hook('smoke', 'echo "post hook of version $VERSION"')] },
  })
  const okPre = [hook('migrate', 'echo "migrating to $VERSION"'), hook('seed', 'echo "seeding $VERSION"')]

  /** Waits until the App reports Ready for its current generation. */
  const readyApp = () => eventually(async () => {
    const a = await readApp()
    return condition(a, 'Ready')?.status === 'True' && a.status.observedGeneration === a.metadata.generation ? a : undefined
  }, POD_MS, 'the app to be Ready')

  /** GET of the Service from a pod in the project namespace: what the answering pods say. */
  async function fetchFromPod(name: string): Promise<string[]> {
    const svc = await core.readNamespacedService({ name: 'web', namespace: ns })
    const { log } = await runJob(cluster.kubeconfigYaml, {
      namespace: ns, name, image: image1, timeoutMs: POD_MS,
      script: serviceClientScript(`http://${svc.spec?.clusterIP}:80/`, 4),
    })
    await batch.deleteNamespacedJob({ name, namespace: ns, propagationPolicy: 'Background' })
    return log.split('\n')
  }

  const hookJobs = async (revision: string) =>
    (await batch.listNamespacedJob({ namespace: ns, labelSelector: `app.kubeop.io/app-id=${ids.app},app.kubeop.io/revision=${revision}` })).items
  const byHook = (jobs: V1Job[], phase: string, name: string) => jobs.find((j) => j.metadata?.labels?.['app.kubeop.io/hook-phase'] === phase && j.metadata?.labels?.['app.kubeop.io/hook'] === name)!
  const seconds = (d: Date | string | undefined) => Math.floor(new Date(d ?? 0).getTime() / 1000)

  before(async () => {
    cluster = await hostCluster()
    image1 = cluster.images.busybox.ref
    // A second name for the same image, so "a new image" needs nothing that is not on the node.
    image2 = image1.replace(/:[^:]+$/, `:flow-${suffix}`)
    await tagLocalImage(cluster, image1, image2)
    const kc = new KubeConfig()
    kc.loadFromString(cluster.kubeconfigYaml)
    core = kc.makeApiClient(CoreV1Api)
    apps = kc.makeApiClient(AppsV1Api)
    batch = kc.makeApiClient(BatchV1Api)
    custom = kc.makeApiClient(CustomObjectsApi)
    operator = startOperator({
      kubeconfig: cluster.kubeconfigYaml, logger: pino({ level: 'silent' }), metrics: new Registry(), identity: `flow-${suffix}`,
      leaseNamespace: 'kube-system', installCrds: true, leaderElection: { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryMs: 500 },
    })
    await eventually(async () => {
      const crds = (await run('kubectl', ['--kubeconfig', cluster.kubeconfigPath, 'get', 'crd', '-o', 'name'], { encoding: 'utf8' })).stdout
      return crds.includes('apps.platform.kubeop.io') && operator.isLeader() ? true : undefined
    }, 60_000, 'the operator to lead with its CRDs')
  })
  after(async () => {
    // The host cluster is shared: whatever a failed test left is deleted while the operator still
    // runs (its finalizers need it), so no namespace of this file outlives it.
    if (custom) {
      await custom.deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'tenants', name: tenant }).catch(() => undefined)
      await eventually(async () => (await core.readNamespace({ name: ns }).then(() => undefined, () => true)), POD_MS, 'cleanup').catch(() => undefined)
    }
    await operator?.stop()
  })

  test('Tenant → Project → App: pre hooks run in order and exit 0, pods Running, Service answers, post hook after', async () => {
    await apply(kind('Tenant', tenant, { name: tenant, quota: { cpu: '4', memory: '4Gi', pods: 20 } }, { 'app.kubeop.io/tenant-id': ids.tenant }))
    await apply(kind('Project', project, { tenantRef: tenant, name: 'web', namespace: ns, quota: { cpu: '2', memory: '2Gi', pods: 12 } },
      { 'app.kubeop.io/tenant-id': ids.tenant, 'app.kubeop.io/project-id': ids.project }))
    await eventually(async () => core.readNamespacedServiceAccount({ name: 'default', namespace: ns }).catch(() => undefined), 60_000, 'the namespace and its service account')
    await apply(kind('App', 'web', appSpec(image1, '1', okPre), { 'app.kubeop.io/app-id': ids.app }, ns))

    const app = await readyApp()
    const revision = app.status.revision as string
    assert.equal(app.status.availableReplicas, 2)
    assert.equal(app.status.phase, 'Ready')
    assert.equal(condition(app, 'Progressing').status, 'False')
    assert.equal(condition(app, 'Degraded').status, 'False')
    assert.deepEqual(app.status.hooks.map((h: any) => [h.phase, h.name, h.result, h.revision]), [
      ['pre', 'migrate', 'Succeeded', revision], ['pre', 'seed', 'Succeeded', revision], ['post', 'smoke', 'Succeeded', revision],
    ])

    // Each hook's container ran and exited 0, one after another, the Deployment between pre and post.
    const jobs = await hookJobs(revision)
    const [migrate, seed, smoke] = [byHook(jobs, 'pre', 'migrate'), byHook(jobs, 'pre', 'seed'), byHook(jobs, 'post', 'smoke')]
    for (const [job, line] of [[migrate, 'migrating to 1'], [seed, 'seeding 1'], [smoke, 'post hook of version 1']] as const) {
      const pod = (await core.listNamespacedPod({ namespace: ns, labelSelector: `batch.kubernetes.io/job-name=${job.metadata?.name}` })).items[0]!
      assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0)
      assert.equal((await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: ns })).trim(), line)
    }
    const deployment = await apps.readNamespacedDeployment({ name: 'web', namespace: ns })
    assert.ok(seconds(seed.metadata?.creationTimestamp) >= seconds(migrate.status?.completionTime), 'seed started after migrate finished')
    assert.ok(seconds(deployment.metadata?.creationTimestamp) >= seconds(seed.status?.completionTime), 'the Deployment came after the pre hooks')
    assert.ok(seconds(smoke.metadata?.creationTimestamp) >= seconds(deployment.metadata?.creationTimestamp), 'the post hook came after the Deployment')

    const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app.kubeop.io/app=web' })).items
    assert.deepEqual(pods.map((p) => [p.status?.phase, p.metadata?.labels?.['app.kubeop.io/revision']]), [['Running', revision], ['Running', revision]])
    const answers = await fetchFromPod('client-1')
    assert.equal(answers.length, 4)
    for (const a of answers) assert.match(a, /^version 1 from web-/)
  })

  test('a new image rolls out a new revision, after its pre hooks; the old revision\'s hook Jobs are cleaned up', async () => {
    const before = (await readApp()).status.revision as string
    await apply(kind('App', 'web', appSpec(image2, '2', okPre), { 'app.kubeop.io/app-id': ids.app }, ns))
    const app = await eventually(async () => {
      const a = await readApp()
      return a.status.revision !== before && condition(a, 'Ready')?.status === 'True' && a.status.observedGeneration === a.metadata.generation ? a : undefined
    }, POD_MS, 'the new revision to be Ready')
    const revision = app.status.revision as string
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns })
    assert.equal(d.spec?.template.spec?.containers[0]?.image, image2)
    assert.equal(d.metadata?.annotations?.['app.kubeop.io/revision'], revision)
    await eventually(async () => {
      const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app.kubeop.io/app=web' })).items
      return pods.length === 2 && pods.every((p) => p.metadata?.labels?.['app.kubeop.io/revision'] === revision && p.status?.phase === 'Running') ? pods : undefined
    }, POD_MS, 'only new-revision pods')
    assert.equal((await hookJobs(revision)).length, 3)
    await eventually(async () => ((await hookJobs(before)).length === 0 ? true : undefined), 30_000, 'the old revision\'s Jobs to go')
    for (const a of await fetchFromPod('client-2')) assert.match(a, /^version 2 from web-/)
  })

  test('a failing pre hook leaves the old revision serving and says Degraded with the exit code', async () => {
    const good = (await readApp()).status.revision as string
    await apply(kind('App', 'web', appSpec(image2, '3', [hook('migrate', 'echo "cannot migrate"; exit 3')]), { 'app.kubeop.io/app-id': ids.app }, ns))
    const app = await eventually(async () => {
      const a = await readApp()
      return condition(a, 'Degraded')?.status === 'True' && a.status.observedGeneration === a.metadata.generation ? a : undefined
    }, POD_MS, 'Degraded')
    assert.equal(condition(app, 'Degraded').reason, 'PreHookFailed')
    assert.match(condition(app, 'Degraded').message, /pre hook "migrate" of revision \w+ exited with code 3 \(Error\); revision \w+ keeps running/)
    assert.equal(condition(app, 'Ready').status, 'False')
    assert.equal(app.status.revision, good)
    assert.notEqual(app.status.desiredRevision, good)
    assert.deepEqual(app.status.hooks.map((h: any) => [h.name, h.result]), [['migrate', 'Failed']])
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns })
    assert.equal(d.metadata?.annotations?.['app.kubeop.io/revision'], good)
    for (const a of await fetchFromPod('client-3')) assert.match(a, /^version 2 from web-/)
  })

  test('deleting the App, the Project and the Tenant leaves nothing behind', async () => {
    await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural: 'apps', namespace: ns, name: 'web' })
    await eventually(async () => (await readApp().then(() => false, (e: any) => e.code === 404)) || undefined, POD_MS, 'the App to go')
    assert.deepEqual((await core.listNamespacedPod({ namespace: ns, labelSelector: 'app.kubeop.io/app=web' })).items, [], 'its pods went before it')
    await custom.deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'projects', name: project })
    await custom.deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: 'tenants', name: tenant })
    await eventually(async () => {
      const t = await custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: 'tenants', name: tenant }).then(() => false, (e: any) => e.code === 404)
      return t || undefined
    }, POD_MS, 'the Tenant to go')
    await assert.rejects(custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: 'projects', name: project }), (e: any) => e.code === 404)
    await assert.rejects(core.readNamespace({ name: ns }), (e: any) => e.code === 404)
    const left = await Promise.all([
      apps.listDeploymentForAllNamespaces({ labelSelector: `app.kubeop.io/app-id=${ids.app}` }),
      batch.listJobForAllNamespaces({ labelSelector: `app.kubeop.io/app-id=${ids.app}` }),
      core.listPodForAllNamespaces({ labelSelector: `app.kubeop.io/app-id=${ids.app}` }),
      core.listNamespace({ labelSelector: `app.kubeop.io/project-id=${ids.project}` }),
    ])
    assert.deepEqual(left.map((l) => l.items.length), [0, 0, 0, 0])
  })
})
