// test engines: one — its subject is the host cluster stack (kubelet, containerd, scheduler) itself (decision 0031).
import { AppsV1Api, BatchV1Api, CoreV1Api, DiscoveryV1Api, KubeConfig } from '@kubernetes/client-node'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { after, before, describe, test } from 'node:test'
import { hostCluster, type SharedHostCluster } from './helpers/host-cluster-shared.js'
import { eventually } from './helpers/eventually.js'
import { runJob as runHostJob, serviceClientScript } from './helpers/host-jobs.js'

const run = promisify(execFile)

// The host cluster stack itself (test/helpers/host-cluster.ts): pods really run on a real kubelet,
// and Services route between them. Shares the run's one stack, in a namespace of its own.
describe('host cluster: a real node whose pods run', () => {
  let cluster: SharedHostCluster
  let core: CoreV1Api
  let batch: BatchV1Api
  let apps: AppsV1Api
  let discovery: DiscoveryV1Api
  const namespace = `host-cluster-${randomBytes(3).toString('hex')}`

  before(async () => {
    cluster = await hostCluster()
    const kc = new KubeConfig()
    kc.loadFromString(cluster.kubeconfigYaml)
    core = kc.makeApiClient(CoreV1Api)
    batch = kc.makeApiClient(BatchV1Api)
    apps = kc.makeApiClient(AppsV1Api)
    discovery = kc.makeApiClient(DiscoveryV1Api)
    await core.createNamespace({ body: { metadata: { name: namespace } } })
    // Pods are refused until the controller manager has made the namespace's service account.
    await eventually(() => core.readNamespacedServiceAccount({ name: 'default', namespace }), 30_000, 'the default service account')
  })
  after(async () => {
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined)
  })

  /** Runs one busybox container to completion in this test's namespace. */
  const runJob = (name: string, script: string) => runHostJob(cluster.kubeconfigYaml, { namespace, name, image: cluster.images.busybox.ref, script })

  test('kubectl with the kubeconfig sees the one node, Ready, running the pinned kubelet on containerd', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', cluster.kubeconfigPath, 'get', 'nodes', '-o', 'json'])
    const nodes = JSON.parse(stdout) as { items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[]; nodeInfo: { kubeletVersion: string; containerRuntimeVersion: string } } }[] }
    assert.deepEqual(nodes.items.map((n) => n.metadata.name), [cluster.nodeName])
    const node = nodes.items[0]
    assert.equal(node?.status.conditions.find((c) => c.type === 'Ready')?.status, 'True')
    assert.match(node?.status.nodeInfo.kubeletVersion ?? '', /^v1\.37\./)
    assert.match(node?.status.nodeInfo.containerRuntimeVersion ?? '', /^containerd:\/\/1\./)
  })

  test('a Job runs a busybox command to completion: exit 0, and its output is read back through the API', async () => {
    const { pod, log } = await runJob('compute', 'echo "sum=$((40 + 2))"; echo "pod=$(hostname)"')
    assert.equal(pod.status?.phase, 'Succeeded')
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0)
    assert.equal(log, `sum=42\npod=${pod.metadata?.name}`)
  })

  test('a failing command is seen as a failure (exit code 3), not as success', async () => {
    await batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'fails' },
        spec: {
          backoffLimit: 0,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: cluster.images.busybox.ref, command: ['sh', '-c', 'echo nope; exit 3'] }] } },
        },
      },
    })
    const pod = await eventually(async () => {
      const pods = await core.listNamespacedPod({ namespace, labelSelector: 'job-name=fails' })
      return pods.items.find((p) => p.status?.phase === 'Failed')
    }, 120_000, 'the failing pod')
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3)
  })

  test('a Deployment of 2 busybox httpd replicas becomes Available, and its ClusterIP Service answers HTTP from a pod', async () => {
    const labels = { app: 'web' }
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [{
                name: 'httpd',
                image: cluster.images.busybox.ref,
                command: ['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www'],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
              }],
            },
          },
        },
      },
    })
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name: 'web' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } },
    })

    const deployment = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace })
      const available = d.status?.conditions?.find((c) => c.type === 'Available')?.status === 'True'
      return available && d.status?.availableReplicas === 2 ? d : undefined
    }, 120_000, 'the deployment to be available')
    assert.equal(deployment.status?.readyReplicas, 2)

    const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app=web' })).items
    assert.equal(pods.length, 2)
    assert.deepEqual(pods.map((p) => p.status?.phase), ['Running', 'Running'])
    const podIps = pods.map((p) => p.status?.podIP ?? '')
    assert.equal(new Set(podIps).size, 2, 'each pod has an address of its own')
    for (const podIp of podIps) assert.match(podIp, /^10\.244\.0\.\d+$/)

    const service = await core.readNamespacedService({ name: 'web', namespace })
    const clusterIp = service.spec?.clusterIP ?? ''
    assert.match(clusterIp, /^10\.0\.0\.\d+$/)

    // Both backends are in the Service's EndpointSlice before the client starts: what the API can
    // show. The client then allows for kube-proxy's own lag (serviceClientScript).
    await eventually(async () => {
      const slices = await discovery.listNamespacedEndpointSlice({ namespace, labelSelector: 'kubernetes.io/service-name=web' })
      const ready = slices.items.flatMap((s) => s.endpoints).filter((e) => e.conditions?.ready === true)
      return ready.length === 2 ? ready : undefined
    }, 60_000, 'both pods in the Service\'s EndpointSlice')
    const { log } = await runJob('client', serviceClientScript(`http://${clusterIp}:80/`, 6))
    const answers = log.trim().split('\n')
    const podNames = pods.map((p) => `hello from ${p.metadata?.name}`)
    assert.equal(answers.length, 6)
    for (const answer of answers) assert.ok(podNames.includes(answer), `${answer} comes from one of ${podNames.join(', ')}`)
  })
})
