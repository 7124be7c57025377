import type { AnyCommand } from '../framework/command.js'
import { adminAppCreate } from './admin-app-create.js'
import { adminAppDelete } from './admin-app-delete.js'
import { adminAppGet } from './admin-app-get.js'
import { adminAppList } from './admin-app-list.js'
import { adminAppUpdate } from './admin-app-update.js'
import { adminHostClusterDelete } from './admin-host-cluster-delete.js'
import { adminHostClusterGet } from './admin-host-cluster-get.js'
import { adminHostClusterList } from './admin-host-cluster-list.js'
import { adminHostClusterRegister } from './admin-host-cluster-register.js'
import { adminProjectCreate } from './admin-project-create.js'
import { adminProjectDelete } from './admin-project-delete.js'
import { adminProjectGet } from './admin-project-get.js'
import { adminProjectList } from './admin-project-list.js'
import { adminTenantCreate } from './admin-tenant-create.js'
import { adminTenantDelete } from './admin-tenant-delete.js'
import { adminTenantGet } from './admin-tenant-get.js'
import { adminTenantList } from './admin-tenant-list.js'
import { adminTenantPlace } from './admin-tenant-place.js'
import { adminTenantResume } from './admin-tenant-resume.js'
import { adminTenantSuspend } from './admin-tenant-suspend.js'
import { apikeyCreate } from './apikey-create.js'
import { apikeyList } from './apikey-list.js'
import { apikeyRevoke } from './apikey-revoke.js'
import { authLogin } from './auth-login.js'
import { authLogout } from './auth-logout.js'
import { authWhoami } from './auth-whoami.js'
import { clusterCreate } from './cluster-create.js'
import { clusterCredentialsCreate } from './cluster-credentials-create.js'
import { clusterCredentialsList } from './cluster-credentials-list.js'
import { clusterCredentialsRevoke } from './cluster-credentials-revoke.js'
import { clusterDelete } from './cluster-delete.js'
import { clusterGet } from './cluster-get.js'
import { clusterKubeconfig } from './cluster-kubeconfig.js'
import { clusterList } from './cluster-list.js'
import { clusterUpdate } from './cluster-update.js'
import { clusterWait } from './cluster-wait.js'
import { completionBash } from './completion-bash.js'
import { completionFish } from './completion-fish.js'
import { completionZsh } from './completion-zsh.js'
import { configDeleteContext } from './config-delete-context.js'
import { configGetContexts } from './config-get-contexts.js'
import { configSetContext } from './config-set-context.js'
import { configUseContext } from './config-use-context.js'
import { invoiceGet } from './invoice-get.js'
import { invoiceList } from './invoice-list.js'
import { memberAdd } from './member-add.js'
import { memberList } from './member-list.js'
import { memberRemove } from './member-remove.js'
import { memberUpdate } from './member-update.js'
import { operatorInstall } from './operator-install.js'
import { operatorRun } from './operator-run.js'
import { planGet } from './plan-get.js'
import { planList } from './plan-list.js'
import { secretCreate } from './secret-create.js'
import { secretDelete } from './secret-delete.js'
import { secretGet } from './secret-get.js'
import { secretList } from './secret-list.js'
import { secretTargetAdd } from './secret-target-add.js'
import { secretTargetRemove } from './secret-target-remove.js'
import { secretUpdate } from './secret-update.js'
import { tenantGet } from './tenant-get.js'
import { tenantUpdate } from './tenant-update.js'
import { vaultDelete } from './vault-delete.js'
import { vaultGet } from './vault-get.js'
import { vaultList } from './vault-list.js'
import { vaultPut } from './vault-put.js'
import { version } from './version.js'

/** One-line descriptions of the command groups, shown by `kupe --help` and `kupe <noun> --help`. */
export const commandGroups: Readonly<Record<string, string>> = {
  auth: 'Log in with an API key, log out, show who you are',
  config: 'Manage contexts: API URL + tenant + credential',
  cluster: 'Create, inspect, update, wait for and delete clusters',
  'cluster credentials': 'Short-lived credentials for one cluster',
  secret: 'Managed secrets: which vault path goes to which clusters',
  'secret target': 'Add or remove one sync target of a secret',
  vault: 'Write, read, list and delete secret values in the tenant vault',
  member: 'Manage the people of the tenant and their roles',
  apikey: 'Create, list and revoke API keys',
  tenant: 'Show or change the tenant (plan, limits)',
  invoice: 'Invoices of closed billing periods, and the current draft',
  plan: 'The plans on offer',
  completion: 'Shell completion scripts',
  admin: 'Platform operator commands (admin token)',
  'admin tenant': 'Create, list, suspend, resume, place and delete tenants',
  'admin host-cluster': "Register the Kubernetes clusters where tenants' projects and apps run (not tenant clusters)",
  'admin project': "Projects on a tenant's host cluster: a namespace with quota, limits and isolation",
  'admin app': 'Apps in a project: Deployment, Service, Ingress and hook Jobs, rolled out by the operator',
  operator: 'Run the Kubernetes operator of a host cluster, or install it there',
}

/** Every command, in the order `kupe --help` lists them. */
export const commands: readonly AnyCommand[] = [
  authLogin, authLogout, authWhoami,
  configSetContext, configUseContext, configGetContexts, configDeleteContext,
  clusterList, clusterGet, clusterCreate, clusterUpdate, clusterDelete, clusterKubeconfig, clusterWait,
  clusterCredentialsCreate, clusterCredentialsList, clusterCredentialsRevoke,
  secretList, secretGet, secretCreate, secretUpdate, secretDelete, secretTargetAdd, secretTargetRemove,
  vaultPut, vaultGet, vaultList, vaultDelete,
  memberList, memberAdd, memberUpdate, memberRemove,
  apikeyList, apikeyCreate, apikeyRevoke,
  tenantGet, tenantUpdate,
  invoiceList, invoiceGet,
  planList, planGet,
  version,
  completionBash, completionZsh, completionFish,
  adminTenantCreate, adminTenantList, adminTenantGet, adminTenantSuspend, adminTenantResume, adminTenantDelete, adminTenantPlace,
  adminHostClusterRegister, adminHostClusterList, adminHostClusterGet, adminHostClusterDelete,
  adminProjectCreate, adminProjectList, adminProjectGet, adminProjectDelete,
  adminAppCreate, adminAppList, adminAppGet, adminAppUpdate, adminAppDelete,
  // `operator` before `operator install`: the first is both a command and the group of the second.
  operatorRun, operatorInstall,
]
