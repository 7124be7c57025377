import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type V1ClusterRoleBinding } from '@kubernetes/client-node'

/**
 * The RBAC objects every tenant cluster holds (spec §2.6): group `kupe:admin` is bound to
 * `cluster-admin` and `kupe:readonly` to `view`. Pure: the token-review webhook puts API keys and
 * credentials in these groups.
 */
export function accessBindings(): V1ClusterRoleBinding[] {
  const bind = (group: string, role: string): V1ClusterRoleBinding => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: group, labels: { 'app.kubernetes.io/managed-by': 'kupe' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  })
  return [bind('kupe:admin', 'cluster-admin'), bind('kupe:readonly', 'view')]
}

/** Server-side apply (field manager `kupe`, forced): safe to repeat, repairs edits. */
export async function applyAccessBindings(kc: KubeConfig): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kc)
  for (const binding of accessBindings()) {
    await client.patch(binding, undefined, undefined, 'kupe', true, PatchStrategy.ServerSideApply)
  }
}
