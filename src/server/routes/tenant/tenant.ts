import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { TenantPatch } from '../../../domain/tenants/schema.js'
import { getTenant, patchTenant } from '../../../domain/tenants/tenant-service.js'
import { etagOf } from '../../../lib/etag.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { responses, TenantParam } from '../shared-schemas.js'

/** The tenant itself (spec §5.1). */
export const tenantSelfRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get(
    '/tenants/:tenant',
    {
      config: { access: { kind: 'tenant', role: 'any', write: false }, conditional: true },
      schema: { tags: ['tenant'], summary: 'Get tenant', params: TenantParam, response: responses('tenant-read', { 200: Type.Ref('Tenant'), 304: Type.Null() }) },
    },
    async (req, reply) => {
      const tenant = await getTenant(c, tenantContextOf(req))
      return reply.header('etag', etagOf(tenant.resourceVersion)).send(tenant)
    },
  )
  app.patch(
    '/tenants/:tenant',
    {
      config: { access: { kind: 'tenant', role: 'admin', write: true }, mergePatch: true },
      schema: { tags: ['tenant'], summary: 'Update tenant settings', params: TenantParam, body: TenantPatch, response: responses('tenant-write', { 200: Type.Ref('Tenant') }, [412, 413, 415]) },
    },
    async (req, reply) => {
      const tenant = await patchTenant(c, tenantContextOf(req), req.body as TenantPatch, req.headers['if-match'])
      return reply.header('etag', etagOf(tenant.resourceVersion)).send(tenant)
    },
  )
}
