// test engines: one — its subject is pods on the host cluster; the manager API on both engines is test/kubeop-manager.test.ts (decision 0031).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V1Job, type V1Pod } from '@kubernetes/client-node'
import { eventually } from './helpers/eventually.js'
import { runJob } from './helpers/host-jobs.js'
import { tagLocalImage } from './helpers/host-images.js'
import { hostCluster, type SharedHostCluster } from './helpers/host-cluster-shared.js'
import { startTestServer, type TestServer } from './helpers/server.js'

/**
 * Issue 11's whole flow through the manager API, on a host cluster whose kubelet runs pods:
 * register → tenant → project → app with a pre and a post hook. The hooks' containers run and
 * exit 0 in order, the app's pods run and its Service answers HTTP inside the cluster, a new
 * image rolls out a new revision (hooks again), and deleting app, project and tenant leaves
 * nothing behind, the host cluster's delete being 409 until then. The operator is the one
 * `kupe server` runs in-process for the registered host cluster.
 */
describe('kubeOP flow on a real host cluster', () => {
  let host: SharedHostCluster
  let s: TestServer
  let core: CoreV1Api
  let batch: BatchV1Api
  let custom: CustomObjectsApi
  const ids: Record<string, string> = {}
  const namespace = 'kubeop-flow-web'
  let image: string
  let image2: string

  const v1 = (method: string, path: string, body?: unknown) => s.request(method, path, { token: s.adminToken, body })
  const appGet = async () => (await v1('GET', `/v1/apps/${ids.app}`)).body
  const jobsOf = async (): Promise<V1Job[]> => (await batch.listNamespacedJob({ namespace, labelSelector: `app.kubeop.io/app-id=${ids.app}` })).items
  const appPods = async (): Promise<V1Pod[]> =>
    (await core.listNamespacedPod({ namespace, labelSelector: `app.kubeop.io/app-id=${ids.app}` })).items.filter((p) => !p.metadata?.labels?.['job-name'])

  /** A pod in the project's namespace asks the Service, as any workload there would. */
  async function fetchThroughService(name: string): Promise<string> {
    const svc = (await core.listNamespacedService({ namespace, labelSelector: `app.kubeop.io/app-id=${ids.app}` })).items[0]
    assert.ok(svc?.spec?.clusterIP, 'the app has a Service with a ClusterIP')
    const script = `timeout 10 wget -qO- http://${svc.spec.clusterIP}:${svc.spec.ports?.[0]?.port}/`
    return (await runJob(host.kubeconfigYaml, { namespace, name, image, script })).log
  }

  before(async () => {
    host = await hostCluster()
    image = host.images.busybox.ref
    // A second image name for the same content: changing the image is what rolls out a new revision.
    image2 = `${image}-rev2`
    await tagLocalImage(host, image, image2)
    const kc = new KubeConfig()
    kc.loadFromString(host.kubeconfigYaml)
    core = kc.makeApiClient(CoreV1Api)
    batch = kc.makeApiClient(BatchV1Api)
    custom = kc.makeApiClient(CustomObjectsApi)
    s = await startTestServer({ overrides: { imageAllowlist: 'kupe.local' } })
  })
  after(async () => {
    await s?.stop()
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined)
  })

  test('register the host cluster, place a tenant, create a project: its namespace is made', async () => {
    const reg = await v1('POST', '/v1/clusters', { name: 'flow-host', kubeconfig: host.kubeconfigYaml })
    assert.equal(reg.status, 201, reg.text)
    ids.host = reg.body.id
    const tenant = await v1('POST', '/v1/tenants', { name: 'flow', clusterID: ids.host, quota: { cpu: '4', memory: '4Gi', pods: 30 } })
    assert.equal(tenant.status, 201, tenant.text)
    ids.tenant = tenant.body.id
    const project = await v1('POST', '/v1/projects', { tenantID: ids.tenant, name: 'web', quota: { cpu: '2', memory: '2Gi', pods: 20 } })
    assert.equal(project.status, 201, project.text)
    ids.project = project.body.id
    const ready = await eventually(async () => {
      const p = (await v1('GET', `/v1/projects/${ids.project}`)).body
      return p.status.phase === 'Ready' && p.status.observed_generation === p.generation ? p : undefined
    }, 120_000, 'project Ready (the in-process operator reconciled it)')
    assert.equal(ready.namespace, namespace)
    const ns = await core.readNamespace({ name: namespace })
    assert.equal(ns.metadata?.labels?.['app.kubeop.io/tenant-id'], ids.tenant)
    assert.equal(ns.metadata?.labels?.['app.kubeop.io/project-id'], ids.project)
    const quota = (await core.listNamespacedResourceQuota({ namespace })).items[0]
    assert.equal(quota?.spec?.hard?.['requests.cpu'], '2')
  })

  test('an app with a pre and a post hook: hooks run in order and exit 0, pods run, the Service answers', async () => {
    const app = await v1('POST', '/v1/apps', {
      projectID: ids.project, name: 'web', image, replicas: 2,
      command: ['sh', '-c', 'mkdir -p /www && echo "hello from $GREETING" > /www/index.html && exec httpd -f -p 8080 -h /www'],
      env: [{ name: 'GREETING', value: 'v1' }],
      ports: [{ containerPort: 8080, servicePort: 80 }],
      hooks: {
        pre: [{ name: 'migrate', command: ['sh', '-c', 'echo migrated'] }],
        post: [{ name: 'smoke', command: ['sh', '-c', 'echo smoke-tested'] }],
      },
    })
    assert.equal(app.status, 201, app.text)
    ids.app = app.body.id
    const ready = await eventually(async () => {
      const a = await appGet()
      if (a.status.phase === 'Degraded') throw new Error(JSON.stringify(a.status))
      return a.status.phase === 'Ready' && a.status.observed_generation === a.generation ? a : undefined
    }, 180_000, 'app Ready')
    assert.equal(ready.status.available_replicas, 2)
    assert.deepEqual(ready.status.hooks.map((h: { phase: string; result: string }) => `${h.phase}:${h.result}`).sort(), ['post:Succeeded', 'pre:Succeeded'])

    const jobs = await jobsOf()
    const pre = jobs.find((j) => j.metadata?.labels?.['app.kubeop.io/hook-phase'] === 'pre')!
    const post = jobs.find((j) => j.metadata?.labels?.['app.kubeop.io/hook-phase'] === 'post')!
    assert.equal(pre.status?.succeeded, 1, 'the pre hook container exited 0')
    assert.equal(post.status?.succeeded, 1, 'the post hook container exited 0')
    const pods = await appPods()
    assert.equal(pods.filter((p) => p.status?.phase === 'Running').length, 2, 'both replicas run')
    const firstPod = Math.min(...pods.map((p) => new Date(p.metadata!.creationTimestamp!).getTime()))
    assert.ok(new Date(pre.status!.completionTime!).getTime() <= firstPod, 'the pre hook finished before the app\'s pods were made')
    assert.ok(new Date(post.status!.startTime!).getTime() >= firstPod, 'the post hook ran after the rollout')
    assert.equal(await fetchThroughService('client-v1'), 'hello from v1')
  })

  test('a new image rolls out a new revision, and the hooks run again for it', async () => {
    const before = await appGet()
    const patched = await v1('PATCH', `/v1/apps/${ids.app}`, { image: image2, env: [{ name: 'GREETING', value: 'v2' }] })
    assert.equal(patched.status, 200, patched.text)
    assert.equal(patched.body.generation, before.generation + 1)
    const rolled = await eventually(async () => {
      const a = await appGet()
      return a.status.phase === 'Ready' && a.status.observed_generation === a.generation && a.status.revision !== before.status.revision ? a : undefined
    }, 180_000, 'the new revision Ready')
    const hooksOfNew = rolled.status.hooks.filter((h: { revision: string }) => h.revision === rolled.status.revision)
    assert.deepEqual(hooksOfNew.map((h: { result: string }) => h.result), ['Succeeded', 'Succeeded'])
    const pods = await eventually(async () => {
      const all = await appPods()
      return all.length === 2 && all.every((p) => p.spec?.containers[0]?.image === image2 && p.status?.phase === 'Running') ? all : undefined
    }, 120_000, 'old pods replaced')
    assert.equal(pods.length, 2)
    assert.equal(await fetchThroughService('client-v2'), 'hello from v2')
  })

  test('deleting app, project and tenant leaves nothing behind; the host cluster delete is 409 until then', async () => {
    assert.equal((await v1('DELETE', `/v1/clusters/${ids.host}`)).status, 409)
    assert.equal((await v1('DELETE', `/v1/tenants/${ids.tenant}`)).status, 409)
    assert.equal((await v1('DELETE', `/v1/projects/${ids.project}`)).status, 409)
    await batch.deleteCollectionNamespacedJob({ namespace, labelSelector: 'job-name', propagationPolicy: 'Background' })

    assert.equal((await v1('DELETE', `/v1/apps/${ids.app}`)).status, 202)
    await eventually(async () => ((await v1('GET', `/v1/apps/${ids.app}`)).status === 404 ? true : undefined), 120_000, 'app row gone')
    await eventually(async () => ((await appPods()).length === 0 && (await jobsOf()).length === 0 ? true : undefined), 120_000, 'app pods and hook jobs gone')
    assert.equal((await core.listNamespacedService({ namespace, labelSelector: `app.kubeop.io/app-id=${ids.app}` })).items.length, 0)

    assert.equal((await v1('DELETE', `/v1/projects/${ids.project}`)).status, 202)
    await eventually(async () => ((await v1('GET', `/v1/projects/${ids.project}`)).status === 404 ? true : undefined), 180_000, 'project row gone')
    await eventually(async () => {
      try {
        await core.readNamespace({ name: namespace })
        return undefined
      } catch {
        return true
      }
    }, 180_000, 'namespace gone')

    assert.equal((await v1('DELETE', `/v1/clusters/${ids.host}`)).status, 409, 'the tenant is still placed on it')
    assert.equal((await v1('DELETE', `/v1/tenants/${ids.tenant}`)).status, 204)
    await eventually(async () => {
      const tenants = (await custom.listClusterCustomObject({ group: 'platform.kubeop.io', version: 'v1alpha1', plural: 'tenants' })) as { items: unknown[] }
      const projects = (await custom.listClusterCustomObject({ group: 'platform.kubeop.io', version: 'v1alpha1', plural: 'projects' })) as { items: unknown[] }
      return tenants.items.length === 0 && projects.items.length === 0 ? true : undefined
    }, 120_000, 'no Tenant or Project object left')
    assert.equal((await v1('DELETE', `/v1/clusters/${ids.host}`)).status, 204)
  })
})
