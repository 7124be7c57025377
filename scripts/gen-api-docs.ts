// `npm run docs:api`: builds the app (PGlite in memory, nothing listens), reads the OpenAPI
// document it serves at /api/v1/openapi.json and writes docs/api.md from it, so the reference
// can never drift from the routes. `--check` exits 1 when docs/api.md is out of date.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { loadConfig } from '../src/config.js'
import { createContainer } from '../src/container.js'
import { buildApp } from '../src/server/app.js'

type Schema = Record<string, unknown> & {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  enum?: unknown[]
  description?: string
}
interface Parameter { in: string; name: string; required?: boolean; description?: string; schema?: Schema }
interface Response { description?: string; headers?: Record<string, { description?: string }>; content?: Record<string, { schema?: Schema }> }
interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, Response>
  security?: Array<Record<string, string[]>>
}
export interface OpenApiDocument {
  info: { title: string; version: string }
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Schema> }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
const STATUS_TEXT: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 304: 'Not Modified' }

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n+/g, ' ')
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``

function refName(ref: string): string {
  return ref.split('/').pop() ?? ref
}

function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {}
  for (let i = 0; i < 10 && s.$ref; i++) s = doc.components?.schemas?.[refName(s.$ref)] ?? {}
  return s
}

/** A short type label: `string`, `"shared" \| "dedicated"`, `Cluster`, `string[]`, `string or null`. */
function typeLabel(doc: OpenApiDocument, schema: Schema | undefined): string {
  if (!schema) return ''
  if (schema.$ref) return refName(schema.$ref)
  if (schema.anyOf) return schema.anyOf.map((s) => typeLabel(doc, s)).join(' or ')
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(', ')
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  const t = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type
  if (t === 'array') return `${typeLabel(doc, schema.items) || 'any'}[]`
  return t ?? 'any'
}

/** Validation rules worth telling a client, from the JSON Schema keywords. */
function rules(schema: Schema): string {
  const s = schema.anyOf?.find((x) => x.type !== 'null') ?? schema
  const out: string[] = []
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined)
  if (n('minLength') !== undefined || n('maxLength') !== undefined) out.push(`length ${n('minLength') ?? 0}–${n('maxLength') ?? '∞'}`)
  if (n('minimum') !== undefined || n('maximum') !== undefined) out.push(`${n('minimum') ?? '−∞'} ≤ value ≤ ${n('maximum') ?? '∞'}`)
  if (n('maxItems') !== undefined) out.push(`at most ${n('maxItems')} items`)
  if (typeof s.pattern === 'string') out.push(`pattern ${code(s.pattern)}`)
  if (typeof s.format === 'string') out.push(`format ${s.format}`)
  if (schema.anyOf?.some((x) => x.type === 'null')) out.push('`null` allowed')
  if (schema.description) out.push(schema.description)
  return out.join('; ')
}

interface FieldRow { name: string; type: string; required: boolean; rules: string }

/**
 * Flattens an object schema into dotted field paths (`resources.cpu`, `sync[].namespace`). A
 * schema already being flattened further up (a recursive one: Alertmanager routes) is listed
 * once, not entered again.
 */
function fieldRows(doc: OpenApiDocument, schema: Schema | undefined, prefix = '', out: FieldRow[] = [], onPath = new Set<Schema>()): FieldRow[] {
  const s = resolve(doc, schema)
  if (onPath.has(s)) return out
  onPath.add(s)
  const required = new Set(s.required ?? [])
  for (const [name, raw] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name
    const prop = resolve(doc, raw)
    out.push({ name: path, type: typeLabel(doc, raw), required: required.has(name), rules: rules(prop) })
    const objectLike = prop.anyOf?.find((x) => x.type === 'object') ?? prop
    if (objectLike.type === 'object' && Object.keys(objectLike.properties ?? {}).length > 0) fieldRows(doc, objectLike, path, out, onPath)
    const items = prop.type === 'array' ? resolve(doc, prop.items) : undefined
    if (items?.type === 'object') fieldRows(doc, items, `${path}[]`, out, onPath)
  }
  onPath.delete(s)
  return out
}

/** Who may call an operation (spec §2.5); the document's own `security`, when present, wins. */
function authOf(path: string, method: string, op: Operation): string {
  if (op.security) {
    const names = op.security.flatMap((s) => Object.keys(s))
    return names.length === 0 ? 'Public' : `Bearer: ${names.join(' or ')}`
  }
  if (path.startsWith('/api/v1/admin') || path.startsWith('/v1/')) return 'Platform admin token (`Authorization: Bearer <admin token>`)'
  if (path.startsWith('/internal/')) return 'Internal: the caller proves itself with the secret in the URL'
  if (!path.startsWith('/api/v1/tenants/{tenant}')) return 'Public (no credentials; `Authorization` is ignored)'
  const anyMember = 'Tenant API key (`Authorization: Bearer kupe_…`), any role (admin or readonly)'
  const admin = 'Tenant API key (`Authorization: Bearer kupe_…`), role **admin**'
  if (method === 'GET') return /\/apikeys$/.test(path) || /\/vault\/\{[^}]+\}$/.test(path) ? admin : anyMember
  if (/\/credentials$/.test(path) && method === 'POST') return `${anyMember}; the requested role may not exceed the caller's`
  if (/\/credentials\/\{[^}]+\}$/.test(path) && method === 'DELETE') return `${anyMember}; readonly callers may revoke only their own`
  return admin
}

function anchor(method: string, path: string): string {
  return `${method}-${path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

function renderOperation(doc: OpenApiDocument, method: string, path: string, op: Operation): string[] {
  const lines = [`### ${method} ${path}`, '', `<a id="${anchor(method, path)}"></a>`, '']
  if (op.summary) lines.push(`**${op.summary}.**${op.description ? ` ${op.description}` : ''}`, '')
  lines.push(`- **Auth:** ${authOf(path, method, op)}`)
  if (method === 'POST' && !path.startsWith('/internal/')) lines.push('- **Idempotency:** optional `Idempotency-Key` header (1–255 visible ASCII characters)')
  lines.push('')

  const params = op.parameters ?? []
  if (params.length > 0) {
    lines.push('| Parameter | In | Required | Type | Notes |', '|---|---|---|---|---|')
    for (const p of params) {
      const name = p.name === '*' ? 'path' : p.name
      lines.push(`| ${code(name)} | ${p.in} | ${p.required ? 'yes' : 'no'} | ${cell(typeLabel(doc, p.schema))} | ${cell([p.description ?? '', p.schema ? rules(p.schema) : ''].filter(Boolean).join('; '))} |`)
    }
    lines.push('')
  }

  const body = op.requestBody?.content?.['application/json']?.schema
  if (body) {
    const types = Object.keys(op.requestBody?.content ?? {}).map(code).join(', ')
    lines.push(`**Request body** (${types}${op.requestBody?.required ? '' : ', optional'}):`, '')
    const rows = fieldRows(doc, body)
    if (rows.length === 0) lines.push(`${typeLabel(doc, body)}`, '')
    else {
      lines.push('| Field | Type | Required | Rules |', '|---|---|---|---|')
      for (const r of rows) lines.push(`| ${code(r.name)} | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.rules)} |`)
      lines.push('')
    }
  }

  lines.push('| Status | Meaning | Body |', '|---|---|---|')
  for (const [status, res] of Object.entries(op.responses ?? {})) {
    const bodies = Object.entries(res.content ?? {}).map(([type, c]) => `${typeLabel(doc, c.schema) || 'any'} (${type})`)
    const headers = Object.keys(res.headers ?? {}).map((h) => `header ${code(h)}`)
    // @fastify/swagger says "Default Response" when a route gave no description.
    const meaning = res.description && res.description !== 'Default Response' ? res.description : (STATUS_TEXT[status] ?? '')
    lines.push(`| ${status} | ${cell(meaning)} | ${cell([...bodies, ...headers].join('; ') || '—')} |`)
  }
  lines.push('')
  return lines
}

/** docs/api.md from an OpenAPI document: a table of contents by tag, then every operation. */
export function renderApiDocs(doc: OpenApiDocument): string {
  const byTag = new Map<string, Array<{ method: string; path: string; op: Operation }>>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m]
      if (!op) continue
      const tag = op.tags?.[0] ?? 'other'
      if (!byTag.has(tag)) byTag.set(tag, [])
      // Fastify's wildcard (vault paths) is `{*}` in the document; the spec calls it `{path}`.
      byTag.get(tag)!.push({ method: m.toUpperCase(), path: path.replace('{*}', '{path}'), op })
    }
  }
  const count = [...byTag.values()].reduce((n, ops) => n + ops.length, 0)
  const lines = [
    '# Kupe API reference',
    '',
    `<!-- Generated by \`npm run docs:api\` from the OpenAPI document (${doc.info.title} ${doc.info.version}); do not edit by hand. -->`,
    '',
    `${count} operations. The live document is served at \`GET /api/v1/openapi.json\` (OpenAPI 3.1).`,
    '',
    '## Conventions',
    '',
    '- Base URL: `http://localhost:8080/api/v1` for a local server. Tenant routes live under `/api/v1/tenants/{tenant}`.',
    '- Authentication: `Authorization: Bearer <API key>` (scheme case-insensitive). A missing or invalid key is',
    '  `401 {"error":"Missing or invalid authentication"}` with `WWW-Authenticate: Bearer realm="kupe"`.',
    '- Bodies are JSON objects (`Content-Type: application/json`; PATCH also takes `application/merge-patch+json`), at',
    '  most 1 MiB (vault writes 2 MiB). Unknown fields are rejected with `UNKNOWN_FIELD`.',
    '- Every error body has `error`; coded errors add `code`, `severity`, `message` and, for one field, `field`.',
    '- Lists return `{"items": [...]}`; `?limit=N` (1–1000) pages them and adds `continue` while more remain.',
    '- `ETag` / `If-Match` (412 `ETag mismatch`) / `If-None-Match` (304) on tenants, clusters and secrets.',
    '- Every response has `X-Request-Id`, `RateLimit-Policy` and `RateLimit`; 429 responses have `Retry-After`.',
    '- Requests are checked in a fixed order: rate limit, route (404/405), authentication (401), tenant name (400),',
    '  membership and role (403), suspension (403), path and query parameters (400), body (415/413/400),',
    '  `Idempotency-Key`, existence (404), `If-Match` (412), business rules.',
    '',
    '## Contents',
    '',
  ]
  for (const [tag, ops] of byTag) {
    lines.push(`- **${tag}**`)
    for (const { method, path, op } of ops) lines.push(`  - [${method} ${path}](#${anchor(method, path)}) — ${op.summary ?? ''}`)
  }
  lines.push('')
  for (const [tag, ops] of byTag) {
    lines.push(`## ${tag}`, '')
    for (const { method, path, op } of ops) lines.push(...renderOperation(doc, method, path, op))
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
  if (schemas.length > 0) {
    lines.push('## Schemas', '')
    for (const [name, schema] of schemas) {
      lines.push(`### ${name}`, '')
      const rows = fieldRows(doc, schema)
      if (rows.length === 0) {
        lines.push(typeLabel(doc, schema), '')
        continue
      }
      lines.push('| Field | Type | Always present | Notes |', '|---|---|---|---|')
      for (const r of rows) lines.push(`| ${code(r.name)} | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.rules)} |`)
      lines.push('')
    }
  }
  return `${lines.join('\n').trimEnd()}\n`
}

/** The document exactly as the server serves it, from an app that never listens. */
export async function loadOpenApiDocument(): Promise<OpenApiDocument> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kupe-docs-'))
  const config = loadConfig({ dataDir, adminToken: 'docs-only', masterKey: 'docs-only', logLevel: 'silent' }, {})
  const container = await createContainer(config, { memoryDb: true, logger: pino({ level: 'silent' }) })
  try {
    const app = await buildApp(container)
    await app.ready()
    const doc = app.swagger() as unknown as OpenApiDocument
    await app.close()
    return doc
  } finally {
    await container.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const target = fileURLToPath(new URL('../docs/api.md', import.meta.url))
  const markdown = renderApiDocs(await loadOpenApiDocument())
  if (process.argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(target, 'utf8')
    } catch {
      // missing counts as out of date
    }
    if (current !== markdown) {
      process.stderr.write('docs/api.md is out of date: run `npm run docs:api`\n')
      process.exit(1)
    }
    process.stdout.write('docs/api.md is up to date\n')
    return
  }
  writeFileSync(target, markdown)
  process.stdout.write(`wrote ${target}\n`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
