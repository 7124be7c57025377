import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parse } from 'yaml'
import { commandGroups, commands } from '../src/cli/commands/index.js'
import { cliHome, ensureBuilt, repoRoot, runKupe, type CliOptions, type CliResult } from './helpers/cli.js'
import { eventually } from './helpers/eventually.js'
import { startTestServer, type TestServer } from './helpers/server.js'

const KEY_RE = /^kupe_[0-9a-f]{8}_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/

/** `kupe …` against `s` from a private HOME, like a user on a fresh machine. */
function cliFor(s: () => TestServer, home: () => string) {
  return (args: string[], opts: CliOptions = {}): Promise<CliResult> =>
    runKupe(home(), args, { ...opts, env: { KUPE_API_URL: s().url, ...opts.env } })
}

const expectOk = (r: CliResult) => assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)

before(() => ensureBuilt())

describe('kupe --help', () => {
  const home = cliHome()
  after(() => rmSync(home, { recursive: true, force: true }))
  test('kupe --help lists every noun with its one-line description', async () => {
    const r = await runKupe(home, ['--help'])
    expectOk(r)
    for (const noun of [...new Set(commands.map((c) => c.path[0]!))]) {
      const line = r.stdout.split('\n').find((l) => new RegExp(`^  ${noun}\\b`).test(l))
      assert.ok(line, `kupe --help does not list ${noun}`)
      const description = commandGroups[noun] ?? commands.find((c) => c.path.join(' ') === noun)!.summary
      assert.ok(line.includes(description.split(' ').slice(0, 3).join(' ')), `"${line}" lacks the description of ${noun}`)
    }
    assert.match(r.stdout, /^ {2}server\b.*Run the Kupe API server/m)
  })

  test('right after `npm ci` (no dist/), `npx kupe --help` runs the sources; a dist/ older than them is not used', () => {
    // A checkout as the README's set-up leaves it: sources and installed dependencies, nothing built.
    const clone = mkdtempSync(join(tmpdir(), 'kupe-fresh-clone-'))
    try {
      // console/ too: npx installs this package into its cache to run its bin, which runs `prepare`
      // (the console build), as on a real checkout.
      for (const f of ['bin', 'src', 'console', 'package.json', 'package-lock.json', 'tsconfig.json']) {
        cpSync(join(repoRoot, f), join(clone, f), { recursive: true, filter: (from) => !/[/\\]console[/\\]dist$/.test(from) })
      }
      symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'))
      const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: clone, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } })
      for (const [cmd, args] of [['npx', ['--offline', 'kupe', '--help']], [process.execPath, ['bin/kupe.js', '--help']]] as const) {
        const r = run(cmd, [...args])
        assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`)
        assert.match(r.stdout, /^Usage: kupe /)
        assert.match(r.stdout, /^ {2}cluster\b/m)
      }
      // A build newer than every source is what runs; one older than a source (a pull without a rebuild) is not.
      mkdirSync(join(clone, 'dist', 'cli'), { recursive: true })
      writeFileSync(join(clone, 'dist', 'cli', 'main.js'), "process.stdout.write('compiled\\n')\n")
      assert.equal(run(process.execPath, ['bin/kupe.js']).stdout, 'compiled\n')
      const later = new Date(Date.now() + 60_000)
      utimesSync(join(clone, 'src', 'cli', 'main.ts'), later, later)
      assert.match(run(process.execPath, ['bin/kupe.js', '--help']).stdout, /^Usage: kupe /)
    } finally {
      rmSync(clone, { recursive: true, force: true })
    }
  })

  test('every kupe <noun> --help lists its commands with one-line descriptions', async () => {
    const groups = new Set(commands.filter((c) => c.path.length > 1).map((c) => c.path.slice(0, -1).join(' ')))
    for (const group of groups) {
      const r = await runKupe(home, [...group.split(' '), '--help'])
      expectOk(r)
      const children = new Map<string, string>()
      for (const c of commands.filter((c) => c.path.slice(0, -1).join(' ') === group)) children.set(c.path.at(-1)!, c.summary)
      for (const [g, description] of Object.entries(commandGroups)) {
        if (g.startsWith(`${group} `) && g.split(' ').length === group.split(' ').length + 1) children.set(g.split(' ').at(-1)!, description)
      }
      for (const [verb, summary] of children) {
        const line = r.stdout.split('\n').find((l) => new RegExp(`^  ${verb}\\b`).test(l))
        assert.ok(line, `kupe ${group} --help does not list ${verb}:\n${r.stdout}`)
        assert.ok(line.includes(summary.split(' ').slice(0, 3).join(' ')), `"${line}" lacks the summary of ${group} ${verb}`)
      }
    }
  })

  test('docs/cli.md documents every command', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8')
    for (const c of commands) assert.ok(doc.includes(`kupe ${c.path.join(' ')}`), `docs/cli.md lacks kupe ${c.path.join(' ')}`)
  })

  test('kupe completion bash completes command words and flags', async () => {
    const script = join(home, 'kupe.bash')
    writeFileSync(script, (await runKupe(home, ['completion', 'bash'])).stdout)
    const complete = (words: string[]) =>
      spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _kupe; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim()
    assert.equal(complete(['kupe', 'cluster', 'cr']), 'create credentials')
    assert.equal(complete(['kupe', '--tenant', 'acme', 'cluster', 'create', 'web', '--wa']), '--wait')
    assert.equal(complete(['kupe', 'secret', 'target', '']), 'add remove')
  })

  test('kupe version --client and kupe --version print the CLI version', async () => {
    const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string
    assert.equal((await runKupe(home, ['--version'])).stdout, `${version}\n`)
    assert.deepEqual(JSON.parse((await runKupe(home, ['version', '--client', '-o', 'json'])).stdout), { client: { version } })
  })

  test('each command help shows a runnable example; a missing argument is a usage error (exit 2)', async () => {
    const help = await runKupe(home, ['cluster', 'create', '--help'])
    assert.match(help.stdout, /Examples:\n {2}kupe cluster create web --wait/)
    const missing = await runKupe(home, ['cluster', 'get'])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /missing required argument 'name'/)
  })
})

describe('kupe CLI against a real server', () => {
  let s: TestServer
  let home: string
  const kupe = cliFor(() => s, () => home)
  before(async () => {
    s = await startTestServer()
    home = cliHome()
  })
  after(async () => {
    await s.stop()
    rmSync(home, { recursive: true, force: true })
  })

  test('the README quickstart, entirely with kupe commands', async () => {
    // The platform operator creates the tenant; -q prints only the owner's admin key.
    const created = await kupe(['admin', 'tenant', 'create', 'acme', '--owner', 'alice@acme.com', '--plan', 'pro', '-q'], { env: { KUPE_ADMIN_TOKEN: s.adminToken } })
    expectOk(created)
    const adminKey = created.stdout.trim()
    assert.match(adminKey, KEY_RE)

    // A context, then the key from stdin (never argv); the config file is private.
    expectOk(await kupe(['config', 'set-context', 'acme', '--api-url', s.url, '--tenant', 'acme']))
    const login = await kupe(['auth', 'login'], { input: `${adminKey}\n`, env: { KUPE_API_URL: undefined } })
    expectOk(login)
    assert.match(login.stdout, /Logged in to .* as API key ak-[0-9a-f]{8} on tenant "acme"; saved in context "acme"/)
    const configFile = join(home, '.config', 'kupe', 'config.yaml')
    assert.equal(statSync(configFile).mode & 0o777, 0o600)
    assert.equal(parse(readFileSync(configFile, 'utf8')).contexts[0].token, adminKey)
    const whoami = await kupe(['auth', 'whoami', '-o', 'json'], { env: { KUPE_API_URL: undefined } })
    expectOk(whoami)
    assert.deepEqual(
      (({ tenant, role, createdBy }) => ({ tenant, role, createdBy }))(JSON.parse(whoami.stdout)),
      { tenant: 'acme', role: 'admin', createdBy: 'alice@acme.com' },
    )

    assert.match((await kupe(['version'])).stdout, /^Client: kupe \d+\.\d+\.\d+\nServer: kupe \d+\.\d+\.\d+ \(API v1, database \w+, provider simulated\) at http/)

    // A cluster, waited for: plain progress lines on a pipe, then the success line.
    const cluster = await kupe(['cluster', 'create', 'production', '--version', '1.32', '--cpu', '2', '--memory', '4Gi', '--wait', '--timeout', '60s'])
    expectOk(cluster)
    assert.match(cluster.stdout, /^✓ Cluster "production" is Running \(Kubernetes v1\.32\.\d+\) after \d+s\.$/m)
    assert.match(cluster.stderr, /^cluster production: (Pending|Provisioning) · \d+s · /m)
    const api = await s.request('GET', '/api/v1/tenants/acme/clusters/production', { token: adminKey })
    const asJson = await kupe(['cluster', 'get', 'production', '-o', 'json'])
    assert.deepEqual(JSON.parse(asJson.stdout), api.body)
    assert.deepEqual(parse((await kupe(['cluster', 'list', '-o', 'yaml'])).stdout), { items: [api.body] })
    assert.equal((await kupe(['cluster', 'list', '-q'])).stdout, 'production\n')

    // The kubeconfig: printed, or merged into ~/.kube/config beside what was there.
    const printed = await kupe(['cluster', 'kubeconfig', 'production', '--print'])
    expectOk(printed)
    const kubeconfig = parse(printed.stdout)
    assert.equal(kubeconfig['current-context'], 'kupe-acme-production')
    assert.match(kubeconfig.users[0].user.token, /^kupec_[0-9a-f]{8}_/)
    mkdirSync(join(home, '.kube'))
    writeFileSync(
      join(home, '.kube', 'config'),
      'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster: {server: "https://other:6443"}\nusers:\n- name: other\n  user: {token: t}\ncontexts:\n- name: other\n  context: {cluster: other, user: other}\ncurrent-context: other\n',
    )
    const merged = await kupe(['cluster', 'kubeconfig', 'production'])
    expectOk(merged)
    assert.match(merged.stdout, /Context "kupe-acme-production" merged into .*\.kube\/config and made current \(credential cc-[0-9a-f]{8}, valid 8h\)/)
    const kube = parse(readFileSync(join(home, '.kube', 'config'), 'utf8'))
    assert.deepEqual(kube.contexts.map((c: { name: string }) => c.name), ['other', 'kupe-acme-production'])
    assert.equal(kube['current-context'], 'kupe-acme-production')
    assert.equal(statSync(join(home, '.kube', 'config')).mode & 0o777, 0o600)

    // A value into the vault from stdin; reading it hides the value unless --reveal.
    expectOk(await kupe(['vault', 'put', 'production/db-password'], { input: 'username=app\npassword=s3cr3t\n' }))
    const hidden = await kupe(['vault', 'get', 'production/db-password'])
    expectOk(hidden)
    assert.match(hidden.stdout, /^password: +\(hidden\), 6 bytes$/m)
    assert.ok(!hidden.stdout.includes('s3cr3t') && !hidden.stderr.includes('s3cr3t'))
    assert.ok(!(await kupe(['vault', 'get', 'production/db-password', '-o', 'json'])).stdout.includes('s3cr3t'))
    assert.equal((await kupe(['vault', 'get', 'production/db-password', '--key', 'password', '--reveal'])).stdout, 's3cr3t')

    // A managed secret syncing it into the cluster.
    expectOk(await kupe(['secret', 'create', 'db-password', '--path', 'production/db-password', '--target', 'production/default']))
    await eventually(async () => {
      const r = await kupe(['secret', 'get', 'db-password', '-o', 'json'])
      return JSON.parse(r.stdout).status.phase === 'Synced' ? true : undefined
    }, 20_000, 'secret db-password Synced')
    expectOk(await kupe(['secret', 'target', 'add', 'db-password', 'production/kube-system/db-copy']))
    const withTwo = await s.request('GET', '/api/v1/tenants/acme/secrets/db-password', { token: adminKey })
    assert.deepEqual(withTwo.body.sync, [{ cluster: 'production', namespace: 'default' }, { cluster: 'production', namespace: 'kube-system', secretName: 'db-copy' }])
    expectOk(await kupe(['secret', 'target', 'remove', 'db-password', 'production/default']))
    const withOne = await s.request('GET', '/api/v1/tenants/acme/secrets/db-password', { token: adminKey })
    assert.deepEqual(withOne.body.sync, [{ cluster: 'production', namespace: 'kube-system', secretName: 'db-copy' }])

    // Rotate the API key: create a new one (printed once), switch to it, revoke the old one.
    const rotated = await kupe(['apikey', 'create', '--name', 'alice-laptop', '--role', 'admin', '-q'])
    expectOk(rotated)
    const newKey = rotated.stdout.trim()
    assert.match(newKey, KEY_RE)
    expectOk(await kupe(['auth', 'login'], { input: newKey }))
    const oldId = `ak-${adminKey.slice(5, 13)}`
    const listed = await kupe(['apikey', 'list', '-q'])
    assert.deepEqual(listed.stdout.trim().split('\n').sort(), [oldId, `ak-${newKey.slice(5, 13)}`].sort())
    expectOk(await kupe(['apikey', 'revoke', oldId]))
    const old = await kupe(['tenant', 'get'], { env: { KUPE_API_TOKEN: adminKey } })
    assert.equal(old.code, 3)
    assert.equal(old.stderr, 'error: Missing or invalid authentication\n')
    expectOk(await kupe(['tenant', 'get']))
  })

  test('configuration: flags win over the environment, which wins over the file; XDG_CONFIG_HOME and KUPE_CONFIG are honoured', async () => {
    const { key } = await s.createTenant('globex')
    const env = { KUPE_API_TOKEN: key, KUPE_TENANT: 'initech' }
    const fromEnv = await kupe(['tenant', 'get'], { env })
    assert.equal(fromEnv.code, 3)
    assert.equal(fromEnv.stderr, 'error: Not a member of this tenant\n')
    const fromFlag = await kupe(['tenant', 'get', '--tenant', 'globex', '-q'], { env })
    expectOk(fromFlag)
    assert.equal(fromFlag.stdout, 'globex\n')

    const xdg = join(home, 'xdg')
    expectOk(await kupe(['config', 'set-context', 'g', '--tenant', 'globex'], { env: { XDG_CONFIG_HOME: xdg } }))
    assert.ok(existsSync(join(xdg, 'kupe', 'config.yaml')))
    const explicit = join(home, 'elsewhere.yaml')
    expectOk(await kupe(['config', 'set-context', 'e', '--tenant', 'globex'], { env: { KUPE_CONFIG: explicit } }))
    const contexts = await kupe(['config', 'get-contexts', '-o', 'json'], { env: { KUPE_CONFIG: explicit } })
    assert.deepEqual(JSON.parse(contexts.stdout).items.map((c: { name: string; current: boolean }) => [c.name, c.current]), [['e', true]])
  })

  test('members, tenant, invoices, plans, credentials, admin and delete --wait work end to end', async () => {
    const { key } = await s.createTenant('umbrella', { plan: 'starter' })
    const env = { env: { KUPE_API_TOKEN: key, KUPE_TENANT: 'umbrella' } }
    expectOk(await kupe(['member', 'add', 'Bob@Umbrella.example.com', '--role', 'readonly'], env))
    expectOk(await kupe(['member', 'update', 'bob@umbrella.example.com', '--role', 'admin'], env))
    assert.deepEqual(JSON.parse((await kupe(['member', 'list', '-o', 'json'], env)).stdout).items, [
      { email: 'bob@umbrella.example.com', role: 'admin' },
      { email: 'owner@umbrella.example.com', role: 'admin' },
    ])
    expectOk(await kupe(['member', 'remove', 'bob@umbrella.example.com'], env))
    assert.equal((await kupe(['member', 'list', '-q'], env)).stdout, 'owner@umbrella.example.com\n')

    const upgraded = await kupe(['tenant', 'update', '--plan', 'pro', '-o', 'json'], env)
    expectOk(upgraded)
    assert.equal(JSON.parse(upgraded.stdout).plan, 'pro')
    assert.match((await kupe(['tenant', 'get'], env)).stdout, /^Plan: +pro$/m)
    assert.match((await kupe(['plan', 'get', 'business'])).stdout, /^Max clusters: +20$/m)
    assert.deepEqual(JSON.parse((await kupe(['invoice', 'list', '-o', 'json'], env)).stdout), { items: [] })
    const draft = await kupe(['invoice', 'get', 'current', '-o', 'json'], env)
    expectOk(draft)
    assert.equal(JSON.parse(draft.stdout).status.phase, 'Draft')

    expectOk(await kupe(['cluster', 'create', 'ops', '--cpu', '1', '--wait', '--timeout', '60s'], env))
    const credential = await kupe(['cluster', 'credentials', 'create', 'ops', '--role', 'readonly', '--ttl', '1h', '-o', 'json'], env)
    expectOk(credential)
    const cred = JSON.parse(credential.stdout)
    assert.match(cred.token, /^kupec_/)
    assert.ok((await kupe(['cluster', 'credentials', 'list', 'ops', '-q'], env)).stdout.split('\n').includes(cred.id))
    expectOk(await kupe(['cluster', 'credentials', 'revoke', 'ops', cred.id], env))
    assert.ok(!(await kupe(['cluster', 'credentials', 'list', 'ops', '-q'], env)).stdout.includes(cred.id))
    const deleted = await kupe(['cluster', 'delete', 'ops', '--wait', '--timeout', '60s'], env)
    expectOk(deleted)
    assert.match(deleted.stdout, /^✓ Cluster "ops" deleted after \d+s\.$/m)
    assert.equal((await kupe(['cluster', 'get', 'ops'], env)).code, 4)

    const admin = { env: { KUPE_ADMIN_TOKEN: s.adminToken } }
    expectOk(await kupe(['admin', 'tenant', 'suspend', 'umbrella'], admin))
    const suspended = await kupe(['apikey', 'create', '--name', 'x'], env)
    assert.deepEqual([suspended.code, suspended.stderr], [3, 'error: Tenant suspended\n'])
    expectOk(await kupe(['admin', 'tenant', 'resume', 'umbrella'], admin))
    assert.ok((await kupe(['admin', 'tenant', 'list', '-q'], admin)).stdout.split('\n').includes('umbrella'))
    assert.equal((await kupe(['admin', 'tenant', 'delete', 'umbrella'], admin)).code, 2)
    expectOk(await kupe(['admin', 'tenant', 'delete', 'umbrella', '--yes', '--wait'], admin))
    assert.equal((await kupe(['admin', 'tenant', 'get', 'umbrella'], admin)).code, 4)
  })

  test('exit 2: the server refuses an invalid cluster name, and its message is on stderr', async () => {
    const r = await kupe(['cluster', 'create', 'Bad_Name', '--tenant', 'acme'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /^error: .*"name".* \(INVALID_FIELD, field spec\.name\)\n$/)
  })

  test('exit 2: kupe auth login --oidc against a server without an OpenID issuer says to use an API key', async () => {
    const before = existsSync(join(home, '.config', 'kupe', 'config.yaml')) ? readFileSync(join(home, '.config', 'kupe', 'config.yaml'), 'utf8') : undefined
    const r = await kupe(['auth', 'login', '--oidc', '--tenant', 'acme'])
    assert.equal(r.code, 2)
    assert.equal(r.stderr, `error: the server at ${s.url} has no OpenID issuer (KUPE_OIDC_ISSUER is not set): log in with an API key instead\n`)
    const after = existsSync(join(home, '.config', 'kupe', 'config.yaml')) ? readFileSync(join(home, '.config', 'kupe', 'config.yaml'), 'utf8') : undefined
    assert.equal(after, before, 'nothing saved')
    const both = await kupe(['auth', 'login', '--oidc', '--admin'])
    assert.equal(both.code, 2)
  })

  test('exit 3: an invalid key, or a readonly key asking for a write', async () => {
    const bad = await kupe(['cluster', 'list', '--tenant', 'acme'], { env: { KUPE_API_TOKEN: 'kupe_00000000_not-a-real-key' } })
    assert.equal(bad.code, 3)
    assert.equal(bad.stderr, 'error: Missing or invalid authentication\n')
    const { key } = await s.createTenant('hooli')
    const readonly = await s.createKey('hooli', key, 'readonly')
    const write = await kupe(['cluster', 'create', 'x1', '--tenant', 'hooli'], { env: { KUPE_API_TOKEN: readonly.key } })
    assert.equal(write.code, 3)
    assert.equal(write.stderr, 'error: Admin access required\n')
    const who = await kupe(['auth', 'whoami', '--tenant', 'hooli', '-o', 'json'], { env: { KUPE_API_TOKEN: readonly.key } })
    assert.equal(JSON.parse(who.stdout).role, 'readonly')
  })

  test('exit 4: an unknown cluster', async () => {
    const r = await kupe(['cluster', 'get', 'nope', '--tenant', 'acme'])
    assert.equal(r.code, 4)
    assert.equal(r.stderr, 'error: Cluster not found\n')
  })

  test('exit 5: an existing name (409) and an If-Match that no longer matches (412)', async () => {
    const again = await kupe(['cluster', 'create', 'production', '--tenant', 'acme'])
    assert.equal(again.code, 5)
    assert.equal(again.stderr, 'error: Cluster name already exists\n')
    const stale = await kupe(['cluster', 'update', 'production', '--cpu', '3', '--if-match', '1', '--tenant', 'acme'])
    assert.equal(stale.code, 5)
    assert.equal(stale.stderr, 'error: ETag mismatch\n')
    const rv = JSON.parse((await kupe(['cluster', 'get', 'production', '-o', 'json'])).stdout).resourceVersion as string
    const fresh = await kupe(['cluster', 'update', 'production', '--cpu', '3', '--if-match', rv, '-o', 'json'])
    expectOk(fresh)
    assert.equal(JSON.parse(fresh.stdout).resources.cpu, '3')
  })

  test('kupe cluster update --enable-ha --wait: high availability in place; get and list show the replicas', async () => {
    const r = await kupe(['cluster', 'update', 'production', '--enable-ha', '--wait', '--timeout', '60s'])
    expectOk(r)
    assert.match(r.stdout, /has generation \d+ applied and is Running/)
    const got = await kupe(['cluster', 'get', 'production'])
    expectOk(got)
    assert.match(got.stdout, /High availability:\s+ha-healthy \(3\/3 ready\), enabled at \d{4}-\d\d-\d\dT/)
    assert.match((await kupe(['cluster', 'list'])).stdout, /production\s+Running\s+.*ha-healthy \(3\/3 ready\)/)
    const off = await kupe(['cluster', 'get', 'production', '-o', 'json'])
    assert.equal(JSON.parse(off.stdout).status.haConfigured, true)
  })

  test('exit 7: nothing listens at the API URL; GETs are retried with backoff first', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number }
        srv.close(() => resolve(port))
      })
    })
    const r = await kupe(['plan', 'list', '--api-url', `http://127.0.0.1:${port}`])
    assert.equal(r.code, 7)
    assert.equal(r.stderr.match(/server unreachable \(ECONNREFUSED\); retrying in/g)?.length, 3)
    assert.match(r.stderr, new RegExp(`error: cannot reach the Kupe API at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\n$`))
  })
})

describe('kupe against a rate-limited server (1 request/s, burst 2)', () => {
  let s: TestServer
  let home: string
  const kupe = cliFor(() => s, () => home)
  before(async () => {
    s = await startTestServer({ overrides: { rateLimit: '1', rateBurst: '2' } })
    home = cliHome()
  })
  after(async () => {
    await s.stop()
    rmSync(home, { recursive: true, force: true })
  })

  test('a rate-limited command honours Retry-After, retries and succeeds', async () => {
    let refused = false
    const run = kupe(['plan', 'list', '-q'], { onStderr: (chunk) => void (refused ||= /rate limited; retrying in 1s/.test(chunk)) })
    // Keep the bucket empty until the CLI has been refused once; then its retry finds a token.
    await eventually(async () => {
      await fetch(`${s.url}/healthz`).then((r) => r.arrayBuffer())
      return refused ? true : undefined
    }, 30_000, 'the CLI to be rate limited', 0)
    const r = await run
    expectOk(r)
    assert.equal(r.stdout, 'starter\npro\nbusiness\nenterprise\n')
  })

  test('exit 6: still rate limited after the retries', async () => {
    // 12 clients share 2 + ~1/s tokens while each retries 3 times about a second apart:
    // several must give up.
    const results = await Promise.all(Array.from({ length: 12 }, () => kupe(['plan', 'list', '-q'])))
    const codes = results.map((r) => r.code)
    assert.ok(codes.every((c) => c === 0 || c === 6), `exit codes ${codes}`)
    const limited = results.filter((r) => r.code === 6)
    assert.ok(limited.length > 0, `exit codes ${codes}`)
    for (const r of limited) {
      assert.equal(r.stderr.match(/rate limited; retrying in \ds \(\d\/3\)/g)?.length, 3)
      assert.match(r.stderr, /error: Rate limit exceeded\n$/)
    }
  })
})

describe('kupe against a slow provider (30 s per step)', () => {
  let s: TestServer
  let home: string
  const kupe = cliFor(() => s, () => home)
  before(async () => {
    s = await startTestServer({ overrides: { simulatedStepSeconds: '30' } })
    home = cliHome()
    const { key } = await s.createTenant('slowco')
    expectOk(await kupe(['config', 'set-context', 'slow', '--tenant', 'slowco']))
    expectOk(await kupe(['auth', 'login'], { input: key }))
    expectOk(await kupe(['cluster', 'create', 'big']))
  })
  after(async () => {
    await s.stop()
    rmSync(home, { recursive: true, force: true })
  })

  test('exit 8: cluster wait gives up at --timeout', async () => {
    const started = Date.now()
    const r = await kupe(['cluster', 'wait', 'big', '--timeout', '1'])
    assert.equal(r.code, 8)
    assert.match(r.stderr, /error: timed out after 1s waiting for cluster "big" to be Running \(phase (Pending|Provisioning)\)\n$/)
    assert.ok(Date.now() - started < 10_000)
  })

  test('exit 7: the kubeconfig of a cluster that is not ready yet (503, retried with backoff)', async () => {
    const r = await kupe(['cluster', 'kubeconfig', 'big', '--print'])
    assert.equal(r.code, 7)
    assert.equal(r.stderr.match(/server answered 503; retrying/g)?.length, 3)
    assert.match(r.stderr, /error: Cluster is not yet ready\n$/)
    assert.equal(r.stdout, '')
  })
})
