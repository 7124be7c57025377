import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { renderApiDocs, type OpenApiDocument } from '../scripts/gen-api-docs.js'
import { CONSOLE_ROUTES } from '../src/server/routes/console.js'
import { startTestServer, type TestServer } from './helpers/server.js'

// GET /api/v1/openapi.json (spec §7 item 9): valid OpenAPI 3.1, describing every route the
// server really registered, each operation with its errors.

type OpenApiOperation = {
  summary?: string
  tags?: string[]
  parameters?: Array<{ in: string; name: string; required?: boolean }>
  requestBody?: unknown
  responses?: Record<string, unknown>
}
type OpenApiDoc = { openapi: string; paths: Record<string, Record<string, OpenApiOperation>>; components?: { schemas?: Record<string, unknown> } }

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/**
 * Every "METHOD /path" Fastify knows, read from `printRoutes()`: a radix tree whose lines are
 * `├── piece (GET, HEAD)`, four columns of indentation per level.
 */
function registeredRoutes(tree: string): Set<string> {
  const out = new Set<string>()
  const stack: string[] = []
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line)
    if (!m) continue
    const depth = m[1]!.length / 4
    stack.length = depth
    // The radix tree (find-my-way's default print): each node is the next piece of the path as it
    // is, so a route is its nodes joined. The compact print (commonPrefix: false) drops nodes when
    // a static route shares its start with a wildcard's parent (`vault` and `vault-versions`).
    stack.push(m[2]!)
    const path = stack.join('')
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      if (method === 'HEAD' || method === 'OPTIONS') continue
      // The document names the vault wildcard `{path}` (src/server/openapi-transform.ts).
      out.add(`${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{path}')}`)
    }
  }
  return out
}

function operationsOf(doc: OpenApiDoc): Array<{ key: string; path: string; method: string; op: OpenApiOperation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ key: `${m.toUpperCase()} ${path}`, path, method: m.toUpperCase(), op: item[m]! })),
  )
}

describe('OpenAPI document', () => {
  let s: TestServer
  let doc: OpenApiDoc

  before(async () => {
    s = await startTestServer()
    const r = await s.request('GET', '/api/v1/openapi.json')
    assert.equal(r.status, 200)
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8')
    doc = r.body as OpenApiDoc
  })
  after(() => s.stop())

  test('is a valid OpenAPI 3.1 document', async () => {
    assert.equal(doc.openapi, '3.1.0')
    // validate() dereferences in place: hand it a copy.
    await SwaggerParser.validate(structuredClone(doc) as never)
  })

  test('the validator is not a rubber stamp', async () => {
    const broken = structuredClone(doc) as unknown as Record<string, unknown>
    const first = Object.values(broken.paths as Record<string, Record<string, OpenApiOperation>>)[0]!
    first.get = { summary: 'no responses', parameters: [{ in: 'nowhere', name: 'x' }] } as OpenApiOperation
    await assert.rejects(SwaggerParser.validate(broken as never))
  })

  test('covers exactly the routes the server registered', () => {
    // The web console's pages and assets are not API (src/server/routes/console.ts).
    const consoleRoutes = new Set(CONSOLE_ROUTES.map((p) => `GET ${p.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`))
    const isConsole = (r: string) => consoleRoutes.has(r) || /^(GET|HEAD) \/assets\//.test(r)
    const registered = new Set([...registeredRoutes(s.server.app.printRoutes())].filter((r) => !isConsole(r)))
    const documented = new Set(operationsOf(doc).map((o) => o.key))
    assert.ok(registered.size >= 10, `parsed ${registered.size} routes`)
    assert.deepEqual([...registered].filter((r) => !documented.has(r)), [], 'registered but not documented')
    assert.deepEqual([...documented].filter((r) => !registered.has(r)), [], 'documented but not registered')
  })

  test('every operation has a summary, a tag and at least one documented 4xx response', () => {
    for (const { key, op } of operationsOf(doc)) {
      assert.ok(op.summary && op.summary.length > 0, `${key}: summary`)
      assert.ok(op.tags && op.tags.length > 0, `${key}: tags`)
      const codes = Object.keys(op.responses ?? {})
      assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${key}: a success response (${codes.join(',')})`)
      assert.ok(codes.some((c) => /^4\d\d$/.test(c)), `${key}: a 4xx response (${codes.join(',')})`)
      assert.ok(codes.includes('429'), `${key}: every route is rate limited (${codes.join(',')})`)
    }
  })

  test('tenant operations document the common errors of §5.0 and the ones their shape implies', () => {
    const tenantOps = operationsOf(doc).filter((o) => o.path.startsWith('/api/v1/tenants/{tenant}'))
    assert.ok(tenantOps.length >= 5)
    for (const { key, path, method, op } of tenantOps) {
      const codes = Object.keys(op.responses ?? {})
      for (const c of ['400', '401', '403', '429', '500']) assert.ok(codes.includes(c), `${key}: ${c}`)
      const params = path.match(/\{[^}]+\}/g) ?? []
      // An operation on an addressed object can find it missing; PUT (vault write) creates it instead.
      if (params.length > 1 && method !== 'PUT') assert.ok(codes.includes('404'), `${key}: addresses an object, so 404`)
      if (op.requestBody) for (const c of ['413', '415']) assert.ok(codes.includes(c), `${key}: has a body, so ${c}`)
      if (method === 'POST') {
        for (const c of ['409', '422']) assert.ok(codes.includes(c), `${key}: POST takes Idempotency-Key, so ${c}`)
      }
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => `{${p.name}}`)
      assert.deepEqual(pathParams.sort(), [...params].sort(), `${key}: path parameters declared`)
    }
  })

  test('API operations with a body document 413/415, POSTs 409/422; only bodies that may be omitted are optional', () => {
    const optional: string[] = []
    for (const { key, path, method, op } of operationsOf(doc).filter((o) => o.path.startsWith('/api/v1/'))) {
      const codes = Object.keys(op.responses ?? {})
      if (op.requestBody) for (const c of ['413', '415']) assert.ok(codes.includes(c), `${key}: has a body, so ${c}`)
      if (method === 'POST' && path !== '/api/v1/openapi.json') {
        for (const c of ['409', '422']) assert.ok(codes.includes(c), `${key}: POST takes Idempotency-Key, so ${c}`)
      }
      if ((op.requestBody as { required?: boolean } | undefined)?.required === false) optional.push(key)
    }
    assert.deepEqual(optional.sort(), [
      'POST /api/v1/admin/tenants/{name}/resume', 'POST /api/v1/admin/tenants/{name}/suspend',
      'POST /api/v1/tenants/{tenant}/clusters/{name}/credentials',
    ])
  })

  test('every error response refers to the shared Error schema', () => {
    assert.ok(doc.components?.schemas?.Error, 'components.schemas.Error')
    for (const { key, op } of operationsOf(doc)) {
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        if (Number(code) < 400) continue
        const schema = (response as { content?: Record<string, { schema?: { $ref?: string } }> }).content?.['application/json']?.schema
        assert.equal(schema?.$ref, '#/components/schemas/Error', `${key} ${code}`)
      }
    }
  })

  test('shared schemas are named, never def-N', () => {
    const names = Object.keys(doc.components?.schemas ?? {})
    assert.ok(names.length > 3)
    assert.deepEqual(names.filter((n) => /^def-\d+$/.test(n)), [])
  })

  test('the generated reference (docs/api.md) has a section for every operation', () => {
    const markdown = renderApiDocs(doc as unknown as OpenApiDocument)
    for (const { method, path } of operationsOf(doc)) {
      assert.ok(markdown.includes(`\n### ${method} ${path.replace('{*}', '{path}')}\n`), `${method} ${path}`)
    }
    assert.match(markdown, /\| `displayName` \| string \| yes \|/, 'request body fields are listed')
  })

  // The document says exactly what the server enforces (docs/decisions/0022-fuzzing-the-api.md).
  test('every path parameter states its rule: a pattern, a format or an enum, never a bare string', () => {
    const bare: string[] = []
    for (const { key, op } of operationsOf(doc)) {
      for (const p of (op.parameters ?? []) as Array<{ in: string; name: string; schema?: Record<string, unknown> }>) {
        const schema = p.schema ?? {}
        if (p.in === 'path' && schema.format === undefined && schema.enum === undefined && (schema.pattern === undefined || schema.pattern === '^[^\\u0000]*$')) {
          bare.push(`${key} ${p.name}`)
        }
      }
    }
    // Names and ids resolved by lookup alone (any string may name one): NUL is their only rule.
    assert.deepEqual(bare.sort(), [
      'GET /api/v1/admin/tenants/{name}/credits name', 'GET /v1/invoices/{tenantID} tenantID',
      'POST /api/v1/admin/tenants/{name}/credits name', 'POST /api/v1/admin/tenants/{name}/invoices/{period}/paid name',
      'POST /api/v1/admin/tenants/{name}/invoices/{period}/void name',
      'POST /internal/v1/clusters/{id}/tokenreview/{secret} id', 'POST /internal/v1/clusters/{id}/tokenreview/{secret} secret',
    ])
  })

  test('only standard formats and the two quantity formats its descriptions define; no string without a rule against U+0000', () => {
    const formats = new Set<string>()
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`))
      if (!node || typeof node !== 'object') return
      const o = node as Record<string, unknown>
      if (typeof o.format === 'string') formats.add(o.format)
      if (o.type === 'string' && !path.includes('/Error/') && o.pattern === undefined && o.enum === undefined && o.const === undefined && o.format === undefined) {
        assert.fail(`${path}: a string schema with no rule`)
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`)
    }
    walk(doc.paths, '')
    walk(doc.components?.schemas, '/components')
    assert.deepEqual([...formats].sort(), ['bytes-quantity', 'cpu-quantity', 'date-time', 'uuid'])
    const schemas = doc.components?.schemas as Record<string, { description?: string }>
    assert.match(JSON.stringify(schemas), /greater than zero and at most 10000 cores/)
  })

  test('PATCH bodies that must change something say so (minProperties or a required field)', () => {
    for (const { key, method, op } of operationsOf(doc).filter((o) => o.method === 'PATCH')) {
      const schema = (op.requestBody as { content: Record<string, { schema: Record<string, unknown> }> }).content['application/json']!.schema
      assert.ok(schema.minProperties === 1 || (Array.isArray(schema.required) && schema.required.length > 0), `${method} ${key}`)
    }
  })

  test('the kubeconfig is served as application/yaml and described as the object it holds', () => {
    const ok = doc.paths['/api/v1/tenants/{tenant}/clusters/{name}/kubeconfig']!.get!.responses!['200'] as { content: Record<string, { schema: { $ref?: string } }> }
    assert.equal(ok.content['application/yaml']!.schema.$ref, '#/components/schemas/Kubeconfig')
    assert.deepEqual((doc.components?.schemas?.Kubeconfig as { required?: string[] }).required?.sort(), ['apiVersion', 'clusters', 'contexts', 'current-context', 'kind', 'users'])
  })
})
