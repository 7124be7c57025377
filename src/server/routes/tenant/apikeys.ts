import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { createTenantApiKey, listTenantApiKeys, revokeTenantApiKey } from '../../../domain/apikeys/apikey-service.js'
import { ApiKeyCreate } from '../../../domain/apikeys/schema.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

/** API keys (spec §5.7): admin only; keys are immutable, rotate by create + revoke. */
export const apiKeyRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get(
    '/tenants/:tenant/apikeys',
    {
      config: { access: { kind: 'tenant', role: 'admin', write: false }, list: true },
      schema: { tags: ['apikeys'], summary: 'List API keys', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(Type.Ref('ApiKey')) }) },
    },
    async (req) => listTenantApiKeys(c, tenantContextOf(req), parsePage(req.query as object)),
  )
  app.post(
    '/tenants/:tenant/apikeys',
    {
      config: { access: { kind: 'tenant', role: 'admin', write: true }, noStore: true },
      schema: { tags: ['apikeys'], summary: 'Create an API key', params: TenantParam, body: ApiKeyCreate, response: responses('tenant-write', { 201: Type.Ref('ApiKeyCreated') }, [409, 413, 415, 422]) },
    },
    async (req, reply) => reply.code(201).send(await createTenantApiKey(c, tenantContextOf(req), req.body as ApiKeyCreate)),
  )
  app.delete(
    '/tenants/:tenant/apikeys/:id',
    {
      config: { access: { kind: 'tenant', role: 'admin', write: false }, pathParams: [['id', 'apiKeyId']] },
      schema: { tags: ['apikeys'], summary: 'Revoke an API key', params: Type.Object({ tenant: Type.String(), id: Type.String() }), response: responses('tenant-write', { 204: NoContent }, [404]) },
    },
    async (req, reply) => {
      await revokeTenantApiKey(c, tenantContextOf(req), (req.params as { id: string }).id)
      return reply.code(204).send()
    },
  )
}
