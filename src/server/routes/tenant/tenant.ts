import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../../domain/common/schema.js'
import { Tenant, TenantDelete, TenantPatch } from '../../../domain/tenants/schema.js'
import { deleteOwnTenant, getTenant, patchTenant } from '../../../domain/tenants/tenant-service.js'
import { etagOf } from '../../../lib/etag.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminWrites, anyMemberReads } from '../access.js'
import { responses, TenantParam } from '../shared-schemas.js'

const tags = ['tenant']

/** The tenant itself (spec §5.1). */
export const tenantSelfRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant', {
    config: { access: anyMemberReads, conditional: true },
    schema: { tags, summary: 'Get tenant', params: TenantParam, response: responses('tenant-read', { 200: ref(Tenant), 304: Type.Null() }) },
  }, async (req, reply) => {
    const tenant = await getTenant(c, tenantContextOf(req))
    return reply.header('etag', etagOf(tenant.resourceVersion)).send(tenant)
  })

  app.patch('/tenants/:tenant', {
    config: { access: adminWrites, mergePatch: true },
    schema: { tags, summary: 'Update tenant settings', params: TenantParam, body: TenantPatch, response: responses('tenant-write', { 200: ref(Tenant) }, [412, 413, 415]) },
  }, async (req, reply) => {
    const tenant = await patchTenant(c, tenantContextOf(req), req.body, req.headers['if-match'])
    return reply.header('etag', etagOf(tenant.resourceVersion)).send(tenant)
  })

  // The Kupe CLI's `tenant delete --confirm NAME [--cascade]` (decision 0029): 202, then GET shows
  // `Deleting` until the tenant is gone (404).
  app.delete('/tenants/:tenant', {
    config: { access: adminWrites, deleteBody: true },
    schema: {
      tags, summary: 'Delete the tenant (with cascade, its clusters too); asynchronous', params: TenantParam, body: TenantDelete,
      response: responses('tenant-write', { 202: ref(Tenant) }, [409, 413, 415]),
    },
  }, async (req, reply) => {
    const tenant = await deleteOwnTenant(c, tenantContextOf(req), req.body)
    return reply.code(202).header('etag', etagOf(tenant.resourceVersion)).send(tenant)
  })
}
