import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { SecretCreate, SecretPatch } from '../../../domain/secrets/schema.js'
import { createSecret, deleteSecret, getSecret, listTenantSecrets, patchSecret } from '../../../domain/secrets/secret-service.js'
import { etagOf } from '../../../lib/etag.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

const NameParams = Type.Object({ tenant: Type.String(), name: Type.String({ description: 'Secret name' }) })
const nameOf = (params: unknown) => (params as { name: string }).name
const ifMatchOf = (headers: Record<string, unknown>) => headers['if-match'] as string | undefined
const read = { kind: 'tenant', role: 'any', write: false } as const
const write = { kind: 'tenant', role: 'admin', write: true } as const
const byName = { pathParams: [['name', 'name']] as Array<[string, 'name']> }

/** Managed secrets (spec §5.4): definitions only; values live in the vault. */
export const secretRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get(
    '/tenants/:tenant/secrets',
    {
      config: { access: read, list: true },
      schema: { tags: ['secrets'], summary: 'List secrets', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(Type.Ref('Secret')) }) },
    },
    async (req) => listTenantSecrets(c, tenantContextOf(req), parsePage(req.query as object)),
  )
  app.post(
    '/tenants/:tenant/secrets',
    {
      config: { access: write, fieldPrefix: 'spec.' },
      schema: { tags: ['secrets'], summary: 'Create a secret', params: TenantParam, body: SecretCreate, response: responses('tenant-write', { 201: Type.Ref('Secret') }, [409, 413, 415, 422]) },
    },
    async (req, reply) => {
      const secret = await createSecret(c, tenantContextOf(req), req.body as SecretCreate)
      return reply.code(201).header('etag', etagOf(secret.resourceVersion)).send(secret)
    },
  )
  app.get(
    '/tenants/:tenant/secrets/:name',
    {
      config: { access: read, conditional: true, ...byName },
      schema: { tags: ['secrets'], summary: 'Get a secret', params: NameParams, response: responses('tenant-read', { 200: Type.Ref('Secret'), 304: Type.Null() }, [404]) },
    },
    async (req, reply) => {
      const secret = await getSecret(c, tenantContextOf(req), nameOf(req.params))
      return reply.header('etag', etagOf(secret.resourceVersion)).send(secret)
    },
  )
  app.patch(
    '/tenants/:tenant/secrets/:name',
    {
      config: { access: write, fieldPrefix: 'spec.', mergePatch: true, ...byName },
      schema: { tags: ['secrets'], summary: 'Replace the sync targets of a secret', params: NameParams, body: SecretPatch, response: responses('tenant-write', { 200: Type.Ref('Secret') }, [404, 412, 413, 415]) },
    },
    async (req, reply) => {
      const secret = await patchSecret(c, tenantContextOf(req), nameOf(req.params), req.body as SecretPatch, ifMatchOf(req.headers))
      return reply.header('etag', etagOf(secret.resourceVersion)).send(secret)
    },
  )
  app.delete(
    '/tenants/:tenant/secrets/:name',
    {
      config: { access: write, ...byName },
      schema: { tags: ['secrets'], summary: 'Delete a secret definition', params: NameParams, response: responses('tenant-write', { 204: NoContent }, [404, 412]) },
    },
    async (req, reply) => {
      await deleteSecret(c, tenantContextOf(req), nameOf(req.params), ifMatchOf(req.headers))
      return reply.code(204).send()
    },
  )
}
