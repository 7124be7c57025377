import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createTenantApiKey, listTenantApiKeys, revokeTenantApiKey } from '../../../domain/apikeys/apikey-service.js'
import { ApiKey, ApiKeyCreate, ApiKeyCreated } from '../../../domain/apikeys/schema.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminReads, adminWrites, checked } from '../access.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

const tags = ['apikeys']

/** API keys (spec §5.7): admin only; keys are immutable, rotate by create + revoke. */
export const apiKeyRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/apikeys', {
    config: { access: adminReads, list: true },
    schema: { tags, summary: 'List API keys', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(ref(ApiKey)) }) },
  }, async (req) => listTenantApiKeys(c, tenantContextOf(req), parsePage(req.query)))

  app.post('/tenants/:tenant/apikeys', {
    config: { access: adminWrites, noStore: true },
    schema: { tags, summary: 'Create an API key', params: TenantParam, body: ApiKeyCreate, response: responses('tenant-write', { 201: ref(ApiKeyCreated) }, [409, 413, 415, 422]) },
  }, async (req, reply) => reply.code(201).send(await createTenantApiKey(c, tenantContextOf(req), req.body)))

  app.delete('/tenants/:tenant/apikeys/:id', {
    // Revoking takes access away: allowed on suspended tenants (§2.4).
    config: { access: adminReads, ...checked(['id', 'apiKeyId']) },
    schema: { tags, summary: 'Revoke an API key', params: Type.Object({ tenant: Type.String(), id: Type.String() }), response: responses('tenant-write', { 204: NoContent }, [404]) },
  }, async (req, reply) => {
    await revokeTenantApiKey(c, tenantContextOf(req), req.params.id)
    return reply.code(204).send()
  })
}
