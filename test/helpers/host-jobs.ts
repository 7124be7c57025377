import { BatchV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node'
import { eventually, StopPolling } from './eventually.js'

export interface JobRun {
  pod: V1Pod
  /** The container's output, trimmed. */
  log: string
}

/**
 * Runs one container to completion as a Job in `namespace` on a host cluster (a real kubelet)
 * and returns its pod and output; a failed Job fails the wait at once, quoting the pod's output
 * and exit code (a failure in CI must be readable from its log alone). The tests' way to look
 * from inside the cluster (a Service, a ClusterIP) as a workload there would.
 */
export async function runJob(
  kubeconfigYaml: string,
  job: { namespace: string; name: string; image: string; script: string; timeoutMs?: number },
): Promise<JobRun> {
  const kc = new KubeConfig()
  kc.loadFromString(kubeconfigYaml)
  const batch = kc.makeApiClient(BatchV1Api)
  const core = kc.makeApiClient(CoreV1Api)
  const { namespace, name } = job
  await batch.createNamespacedJob({
    namespace,
    body: {
      metadata: { name },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            containers: [{ name: 'main', image: job.image, command: ['sh', '-c', job.script] }],
          },
        },
      },
    },
  })
  const finished = async (): Promise<JobRun> => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` })).items
    if (pods.length !== 1) throw new Error(`job ${name} has ${pods.length} pods`)
    const pod = pods[0]!
    const log = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, container: 'main' })
    return { pod, log: log.trim() }
  }
  await eventually(async () => {
    const current = await batch.readNamespacedJob({ name, namespace })
    if (current.status?.failed) {
      const { pod, log } = await finished()
      const exitCode = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode
      throw new StopPolling(`job ${name} failed (exit code ${exitCode ?? 'unknown'}); its output:\n${log}`)
    }
    return current.status?.succeeded === 1 ? current : undefined
  }, job.timeoutMs ?? 120_000, `job ${name} to succeed`)
  return finished()
}

/**
 * A busybox script that GETs `url` `times` times and prints each answer, every one of which must
 * come. It first waits up to 30 s for one answer: kube-proxy writes a Service's iptables rules
 * on its own schedule after the EndpointSlice is ready (a second, more on a loaded machine), and
 * until then the Service refuses, as it would for a workload on any cluster. busybox's wget -T
 * crashes (Debian 1.35), so `timeout` bounds each request.
 */
export function serviceClientScript(url: string, times: number): string {
  return [
    `i=0; until timeout 2 wget -qO /dev/null ${url} 2> /tmp/err; do i=$((i + 1)); [ $i -ge 30 ] && { echo "no answer from ${url} in 30 s: $(cat /tmp/err)"; exit 1; }; sleep 1; done`,
    `i=0; while [ $i -lt ${times} ]; do i=$((i + 1)); timeout 10 wget -qO- ${url} || exit 1; done`,
  ].join('\n')
}
