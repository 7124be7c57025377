// test engines: one — its subject is operator processes, their Lease and kill -9 (state in Kubernetes) (decision 0031).
import { AppsV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node'
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { buildKubeconfig } from '../src/kube/kubeconfig.js'
import { repoRoot } from './helpers/cli.js'
import { eventually } from './helpers/eventually.js'
import { startKube, type Kube } from './k8s.js'

const GROUP = 'platform.kubeop.io'
const VERSION = 'v1alpha1'
const NS = 'kupe-system'
const LEASE_NS = 'kube-system'
const LEASE_SECONDS = '4'

interface OperatorProcess {
  identity: string
  proc: ChildProcess
  url: Promise<string>
  exited: Promise<number | null>
  stderr: () => string
}

/**
 * `kupe operator` and `kupe operator install` as processes, against kube-apiserver +
 * kube-controller-manager: the install's RBAC is all the operators get (they run on the installed
 * service account's token), two replicas elect one leader through the Lease, a standby takes over
 * from a leader killed with SIGKILL, and an operator killed mid-reconcile converges on restart.
 */
describe('kupe operator processes: install, leader election, kill -9', () => {
  let kube: Kube
  let dir: string
  let saKubeconfig: string
  let core: CoreV1Api
  let apps: AppsV1Api
  let custom: CustomObjectsApi
  let leases: CoordinationV1Api
  const running: OperatorProcess[] = []

  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repoRoot, encoding: 'utf8' }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }))
    })

  function startOperatorProcess(identity: string): OperatorProcess {
    const proc = spawn(process.execPath, [
      '--import', 'tsx', 'src/cli/main.ts', 'operator', '--kubeconfig', saKubeconfig, '--identity', identity,
      '--lease-duration-seconds', LEASE_SECONDS, '--listen', '127.0.0.1:0', '--log-level', 'warn',
    ], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    const url = new Promise<string>((resolve) => {
      proc.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        const m = /on (http:\/\/\S+)/.exec(stderr)
        if (m?.[1]) resolve(m[1])
      })
    })
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
    // A process that dies before it listens fails the wait instead of hanging it.
    const listening = Promise.race([url, exited.then((code) => Promise.reject(new Error(`operator ${identity} exited (${code}) before listening:\n${stderr}`)))])
    listening.catch(() => undefined)
    const op = { identity, proc, url: listening, exited, stderr: () => stderr }
    running.push(op)
    return op
  }

  const holder = async () => (await leases.readNamespacedLease({ name: 'kupe-operator', namespace: LEASE_NS })).spec ?? {}
  const leaderGauge = async (op: OperatorProcess) => {
    const text = await (await fetch(`${await op.url}/metrics`)).text()
    return new RegExp(`^kupe_operator_leader\\{identity="${op.identity}"\\} (\\d)$`, 'm').exec(text)?.[1]
  }
  const apply = (obj: unknown) =>
    new Promise<void>((resolve, reject) => {
      const child = execFile('kubectl', ['--kubeconfig', kube.kubeconfigPath, 'apply', '--server-side', '--field-manager=test', '-f', '-'], (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve()))
      child.stdin?.end(JSON.stringify(obj))
    })
  const cr = (kind: string, name: string, spec: unknown, namespace?: string) => ({ apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec })
  const project = (name: string) => custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: 'projects', name }) as Promise<any>
  const ready = (obj: any) => obj?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True' && obj.status.observedGeneration === obj.metadata.generation

  before(async () => {
    kube = await startKube({ controllerManager: true })
    dir = mkdtempSync(join(tmpdir(), 'kupe-operator-'))
    const kc = new KubeConfig()
    kc.loadFromString(readFileSync(kube.kubeconfigPath, 'utf8'))
    core = kc.makeApiClient(CoreV1Api)
    apps = kc.makeApiClient(AppsV1Api)
    custom = kc.makeApiClient(CustomObjectsApi)
    leases = kc.makeApiClient(CoordinationV1Api)
  })
  after(async () => {
    for (const op of running) op.proc.kill('SIGKILL')
    await Promise.all(running.map((op) => op.exited))
    await kube?.stop()
  })

  test('`kupe operator install` applies the CRDs, namespace, service account and RBAC; a second install changes nothing', async () => {
    const first = await cli('operator', 'install', '--kubeconfig', kube.kubeconfigPath)
    assert.equal(first.code, 0, first.stderr)
    assert.deepEqual(first.stdout.trim().split('\n'), [
      'CustomResourceDefinition/tenants.platform.kubeop.io applied',
      'CustomResourceDefinition/projects.platform.kubeop.io applied',
      'CustomResourceDefinition/apps.platform.kubeop.io applied',
      'Namespace/kupe-system applied',
      'ServiceAccount/kupe-operator applied',
      'ClusterRole/kupe-operator applied',
      'ClusterRoleBinding/kupe-operator applied',
      'Role/kupe-operator-leader-election applied',
      'RoleBinding/kupe-operator-leader-election applied',
    ])
    const rbac = new KubeConfig()
    rbac.loadFromString(readFileSync(kube.kubeconfigPath, 'utf8'))
    const roleVersion = async () => (await rbac.makeApiClient(RbacAuthorizationV1Api).readClusterRole({ name: 'kupe-operator' })).metadata?.resourceVersion
    const before = await roleVersion()
    const second = await cli('operator', 'install', '--kubeconfig', kube.kubeconfigPath, '-o', 'json')
    assert.equal(second.code, 0, second.stderr)
    assert.equal(JSON.parse(second.stdout).applied.length, 9)
    assert.equal(await roleVersion(), before, 'an unchanged install writes nothing')

    // The operators below get only what the install granted: the service account's own token.
    const token = await core.createNamespacedServiceAccountToken({ name: 'kupe-operator', namespace: NS, body: { spec: { audiences: [], expirationSeconds: 3600 } } })
    saKubeconfig = join(dir, 'operator.kubeconfig')
    writeFileSync(saKubeconfig, buildKubeconfig({
      cluster: { name: 'host', server: kube.server, caData: Buffer.from(kube.caPem).toString('base64') },
      user: { name: 'kupe-operator', token: token.status?.token ?? '' },
      context: 'host',
    }))
  })

  test('with --with-operator the install adds the operator Deployment; without --image it is a usage error', async () => {
    const refused = await cli('operator', 'install', '--kubeconfig', kube.kubeconfigPath, '--with-operator')
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /--with-operator needs --image/)
    const r = await cli('operator', 'install', '--kubeconfig', kube.kubeconfigPath, '--with-operator', '--image', 'registry.example/kupe:0.1.0', '--replicas', '1')
    assert.equal(r.code, 0, r.stderr)
    const d = await apps.readNamespacedDeployment({ name: 'kupe-operator', namespace: NS })
    assert.equal(d.spec?.template.spec?.serviceAccountName, 'kupe-operator')
    assert.deepEqual(d.spec?.template.spec?.containers[0]?.command?.slice(0, 2), ['kupe', 'operator'])
    // The image cannot run here (no kubelet, no registry): the manifest is what is under test.
    await apps.deleteNamespacedDeployment({ name: 'kupe-operator', namespace: NS })
  })

  test('two operator processes: exactly one leads (the Lease and the metrics say which), it reconciles with only the installed rights', async () => {
    const a = startOperatorProcess('op-a')
    const b = startOperatorProcess('op-b')
    const spec = await eventually(async () => {
      const s = await holder().catch(() => undefined)
      return s?.holderIdentity ? s : undefined
    }, 30_000, 'a lease holder')
    const [leader, standby] = spec.holderIdentity === 'op-a' ? [a, b] : [b, a]
    assert.equal(spec.leaseDurationSeconds, 4)
    await eventually(async () => ((await leaderGauge(leader)) === '1' ? true : undefined), 15_000, 'the leader to say so')
    assert.equal(await leaderGauge(standby), '0')

    await apply(cr('Tenant', 'acme', { name: 'acme' }))
    await apply(cr('Project', 'acme-web', { tenantRef: 'acme', name: 'web', quota: { cpu: '1', pods: 5 } }))
    await eventually(async () => (ready(await project('acme-web')) ? true : undefined), 30_000, 'the project')
    await apply(cr('App', 'web', { image: 'kupe.local/busybox:1', ports: [{ containerPort: 80 }] }, 'kubeop-acme-web'))
    await eventually(() => apps.readNamespacedDeployment({ name: 'web', namespace: 'kubeop-acme-web' }).catch(() => undefined), 30_000, 'the app Deployment')
    assert.equal((await holder()).holderIdentity, leader.identity, 'still one leader')
    assert.doesNotMatch(leader.stderr() + standby.stderr(), /forbidden/i)
  })

  test('SIGKILL of the leader: the standby takes the Lease once it expires and carries on', async () => {
    const before = await holder()
    const leader = running.find((op) => op.identity === before.holderIdentity)!
    const standby = running.find((op) => op !== leader && op.proc.exitCode === null)!
    leader.proc.kill('SIGKILL')
    await leader.exited
    const after = await eventually(async () => {
      const s = await holder()
      return s.holderIdentity === standby.identity ? s : undefined
    }, 20_000, 'the standby to take over')
    assert.equal(after.leaseTransitions, (before.leaseTransitions ?? 0) + 1)
    await eventually(async () => ((await leaderGauge(standby)) === '1' ? true : undefined), 10_000, 'the new leader to say so')
    // It reconciles: a quota change reaches the ResourceQuota.
    await apply(cr('Project', 'acme-web', { tenantRef: 'acme', name: 'web', quota: { cpu: '2', pods: 5 } }))
    await eventually(async () => {
      const q = await core.readNamespacedResourceQuota({ name: 'kubeop-quota', namespace: 'kubeop-acme-web' })
      return q.spec?.hard?.['requests.cpu'] === '2' ? true : undefined
    }, 20_000, 'the new leader to apply the quota')
  })

  test('SIGTERM releases the Lease: a new replica leads at once, without waiting for expiry', async () => {
    const leader = running.find((op) => op.proc.exitCode === null && op.proc.signalCode === null)!
    const next = startOperatorProcess('op-c')
    await next.url
    await eventually(async () => ((await leaderGauge(next)) === '0' ? true : undefined), 10_000, 'the new replica to stand by')
    leader.proc.kill('SIGTERM')
    assert.equal(await leader.exited, 0)
    const took = Date.now()
    await eventually(async () => ((await holder()).holderIdentity === 'op-c' ? true : undefined), 10_000, 'op-c to lead')
    assert.ok(Date.now() - took < 3_000, 'well within the 4 s lease: it was released, not expired')
  })

  test('SIGKILL in the middle of reconciling many objects, restart: everything converges, nothing twice', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `bulk-${i}`)
    const current = running.find((op) => op.identity === 'op-c')!
    current.proc.kill('SIGKILL')
    await current.exited
    for (const n of names) {
      await apply(cr('Project', n, { tenantRef: 'acme', name: n, quota: { cpu: '1' } }))
    }
    const crashing = startOperatorProcess('op-d')
    // Kill it as soon as it has made the first of the twelve namespaces.
    await eventually(async () => {
      const list = await core.listNamespace({ labelSelector: 'app.kubeop.io/tenant=acme' })
      return list.items.some((n) => n.metadata?.name?.startsWith('kubeop-acme-bulk-')) ? true : undefined
    }, 30_000, 'the first bulk namespace')
    crashing.proc.kill('SIGKILL')
    await crashing.exited
    const readyAtKill = (await Promise.all(names.map(project))).filter(ready).length
    assert.ok(readyAtKill < names.length, `killed mid-way (${readyAtKill}/${names.length} ready)`)

    startOperatorProcess('op-e')
    await eventually(async () => ((await Promise.all(names.map(project))).every(ready) ? true : undefined), 60_000, 'all projects Ready')
    for (const n of names) await apply(cr('App', 'web', { image: 'kupe.local/busybox:1', ports: [{ containerPort: 80 }] }, `kubeop-acme-${n}`))
    await eventually(async () => {
      const ds = await apps.listDeploymentForAllNamespaces({ labelSelector: 'app.kubeop.io/app=web' })
      return ds.items.filter((d) => d.metadata?.namespace?.startsWith('kubeop-acme-bulk-')).length === names.length ? true : undefined
    }, 60_000, 'one Deployment per app')
    for (const n of names) {
      const namespace = `kubeop-acme-${n}`
      const [q, l, services] = await Promise.all([
        core.readNamespacedResourceQuota({ name: 'kubeop-quota', namespace }),
        core.readNamespacedLimitRange({ name: 'kubeop-defaults', namespace }),
        core.listNamespacedService({ namespace }),
      ])
      assert.equal(q.spec?.hard?.['requests.cpu'], '1')
      assert.ok(l.spec?.limits.length)
      assert.deepEqual(services.items.map((s) => s.metadata?.name), ['web'])
      const p = await project(n)
      assert.deepEqual(p.metadata.finalizers, ['platform.kubeop.io/cleanup'], 'the finalizer once, not twice')
    }
  })
})
