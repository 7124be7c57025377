import type { V1ClusterRole, V1ClusterRoleBinding, V1Namespace, V1Role, V1RoleBinding, V1ServiceAccount } from '@kubernetes/client-node'
import { GROUP } from '../crds/group.js'
import { FIELD_MANAGER, LABELS, LEASE } from '../labels.js'

export const OPERATOR_NAME = 'kupe-operator'

const labels = { [LABELS.managedBy]: FIELD_MANAGER, 'app.kubernetes.io/name': OPERATOR_NAME }

/**
 * Exactly what the operator does, verb by verb (test/operator-install.test.ts runs it with only
 * these): it reads and watches its kinds, patches their finalizers and status, deletes Projects
 * (a Tenant's deletion cascades) and everything it made; it creates hook Jobs once, server-side
 * applies the rest (`patch`, plus `create`: an apply that creates is authorized as both), lists pods only to report a hook's exit code,
 * and updates `<kind>/finalizers` because owner references block their owner's deletion.
 */
export function operatorClusterRole(): V1ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: OPERATOR_NAME, labels },
    rules: [
      { apiGroups: [GROUP], resources: ['tenants', 'apps'], verbs: ['get', 'list', 'watch', 'patch'] },
      { apiGroups: [GROUP], resources: ['projects'], verbs: ['get', 'list', 'watch', 'patch', 'delete'] },
      { apiGroups: [GROUP], resources: ['tenants/status', 'projects/status', 'apps/status'], verbs: ['patch'] },
      { apiGroups: [GROUP], resources: ['tenants/finalizers', 'projects/finalizers', 'apps/finalizers'], verbs: ['update'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['resourcequotas', 'services'], verbs: ['get', 'create', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['limitranges'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'create', 'patch', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
    ],
  }
}

/**
 * The namespace, service account and bindings. Leader election may create Leases in the Lease's
 * namespace (create cannot be limited by name) and read and renew only the operator's own.
 */
export function operatorAccess(namespace: string): [V1Namespace, V1ServiceAccount, V1ClusterRole, V1ClusterRoleBinding, V1Role, V1RoleBinding] {
  const subject = { kind: 'ServiceAccount', name: OPERATOR_NAME, namespace }
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: OPERATOR_NAME, namespace, labels } },
    operatorClusterRole(),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: OPERATOR_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: OPERATOR_NAME },
      subjects: [subject],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${OPERATOR_NAME}-leader-election`, namespace: LEASE.namespace, labels },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [LEASE.name], verbs: ['get', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${OPERATOR_NAME}-leader-election`, namespace: LEASE.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${OPERATOR_NAME}-leader-election` },
      subjects: [subject],
    },
  ]
}
