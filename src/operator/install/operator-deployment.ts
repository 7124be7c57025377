import type { V1Deployment } from '@kubernetes/client-node'
import { FIELD_MANAGER, LABELS } from '../labels.js'
import { OPERATOR_NAME } from './operator-rbac.js'

export const OPERATOR_PORT = 8081

/**
 * The operator in the cluster: `kupe operator` from `image` (which must have `kupe` on its PATH),
 * in-cluster credentials of its service account, two replicas of which the Lease makes one the
 * leader, probes and metrics on port 8081, no privileges.
 */
export function operatorDeployment(namespace: string, image: string, replicas = 2): V1Deployment {
  const selector = { 'app.kubernetes.io/name': OPERATOR_NAME }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: OPERATOR_NAME, namespace, labels: { ...selector, [LABELS.managedBy]: FIELD_MANAGER } },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          serviceAccountName: OPERATOR_NAME,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'operator',
            image,
            command: ['kupe', 'operator', '--listen', `0.0.0.0:${OPERATOR_PORT}`],
            ports: [{ name: 'http', containerPort: OPERATOR_PORT }],
            livenessProbe: { httpGet: { path: '/healthz', port: OPERATOR_PORT } },
            readinessProbe: { httpGet: { path: '/healthz', port: OPERATOR_PORT } },
            resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  }
}
