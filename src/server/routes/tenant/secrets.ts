import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import { Secret, SecretCreate, SecretPatch } from '../../../domain/secrets/schema.js'
import { createSecret, deleteSecret, getSecret, listTenantSecrets, patchSecret } from '../../../domain/secrets/secret-service.js'
import { etagOf } from '../../../lib/etag.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminWrites, anyMemberReads, byName } from '../access.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

const NameParams = Type.Object({ tenant: Type.String(), name: Type.String({ description: 'Secret name' }) })
const tags = ['secrets']

/** Managed secrets (spec §5.4): definitions only; values live in the vault. */
export const secretRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/secrets', {
    config: { access: anyMemberReads, list: true },
    schema: { tags, summary: 'List secrets', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(ref(Secret)) }) },
  }, async (req) => listTenantSecrets(c, tenantContextOf(req), parsePage(req.query)))

  app.post('/tenants/:tenant/secrets', {
    config: { access: adminWrites, fieldPrefix: 'spec.' },
    schema: { tags, summary: 'Create a secret', params: TenantParam, body: SecretCreate, response: responses('tenant-write', { 201: ref(Secret) }, [409, 413, 415, 422]) },
  }, async (req, reply) => {
    const secret = await createSecret(c, tenantContextOf(req), req.body)
    return reply.code(201).header('etag', etagOf(secret.resourceVersion)).send(secret)
  })

  app.get('/tenants/:tenant/secrets/:name', {
    config: { access: anyMemberReads, conditional: true, ...byName },
    schema: { tags, summary: 'Get a secret', params: NameParams, response: responses('tenant-read', { 200: ref(Secret), 304: Type.Null() }, [404]) },
  }, async (req, reply) => {
    const secret = await getSecret(c, tenantContextOf(req), req.params.name)
    return reply.header('etag', etagOf(secret.resourceVersion)).send(secret)
  })

  app.patch('/tenants/:tenant/secrets/:name', {
    config: { access: adminWrites, fieldPrefix: 'spec.', mergePatch: true, ...byName },
    schema: { tags, summary: 'Replace the sync targets of a secret', params: NameParams, body: SecretPatch, response: responses('tenant-write', { 200: ref(Secret) }, [404, 412, 413, 415]) },
  }, async (req, reply) => {
    const secret = await patchSecret(c, tenantContextOf(req), req.params.name, req.body, req.headers['if-match'])
    return reply.header('etag', etagOf(secret.resourceVersion)).send(secret)
  })

  app.delete('/tenants/:tenant/secrets/:name', {
    config: { access: adminWrites, ...byName },
    schema: { tags, summary: 'Delete a secret definition', params: NameParams, response: responses('tenant-write', { 204: NoContent }, [404, 412]) },
  }, async (req, reply) => {
    await deleteSecret(c, tenantContextOf(req), req.params.name, req.headers['if-match'])
    return reply.code(204).send()
  })
}
