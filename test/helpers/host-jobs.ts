import { BatchV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node'
import { eventually } from './eventually.js'

export interface JobRun {
  pod: V1Pod
  /** The container's output, trimmed. */
  log: string
}

/**
 * Runs one container to completion as a Job in `namespace` on a host cluster (a real kubelet)
 * and returns its pod and output; a failed Job fails the wait at once. The tests' way to look
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
  await eventually(async () => {
    const current = await batch.readNamespacedJob({ name, namespace })
    if (current.status?.failed) throw new Error(`job ${name} failed`)
    return current.status?.succeeded === 1 ? current : undefined
  }, job.timeoutMs ?? 120_000, `job ${name} to succeed`)
  const pods = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` })).items
  if (pods.length !== 1) throw new Error(`job ${name} has ${pods.length} pods`)
  const pod = pods[0]!
  const log = await core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, container: 'main' })
  return { pod, log: log.trim() }
}
