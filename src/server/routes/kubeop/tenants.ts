import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../../domain/common/schema.js'
import { createKubeopTenant, deleteKubeopTenant, getKubeopTenant, listKubeopTenants, patchKubeopTenant } from '../../../domain/tenants/kubeop-tenant-service.js'
import { KubeopTenant, KubeopTenantCreate, KubeopTenantPatch } from '../../../domain/tenants/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { principalOf } from '../../plugins/auth.js'
import { checked, kubeopAdmin, kubeopTenants } from '../access.js'
import { NoContent, responses } from '../shared-schemas.js'

const tags = ['kubeop', 'tenants']
const IdParam = Type.Object({ id: Type.String({ format: 'uuid', description: 'Tenant id' }) })
const byId = checked(['id', 'uuid'])

/** Tenants through the manager API (seed 004): the same tenants as /api/v1/admin/tenants. */
export const kubeopTenantRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/v1/tenants', {
    config: { access: kubeopAdmin },
    schema: { tags, summary: 'Create a tenant placed on a host cluster, with its quota envelope', body: KubeopTenantCreate, response: responses('admin', { 201: ref(KubeopTenant) }, [404, 409, 413, 415, 422]) },
  }, async (req, reply) => reply.code(201).send(await createKubeopTenant(c, principalOf(req), req.body)))

  app.get('/v1/tenants', {
    config: { access: kubeopAdmin },
    schema: { tags, summary: 'List tenants', response: responses('admin', { 200: Type.Array(ref(KubeopTenant)) }) },
  }, async (req) => listKubeopTenants(c, principalOf(req)))

  app.get('/v1/tenants/:id', {
    config: { access: kubeopTenants, ...byId },
    schema: { tags, summary: 'Get a tenant (the admin, or its own tenant token)', params: IdParam, response: responses('admin', { 200: ref(KubeopTenant) }, [404]) },
  }, async (req) => getKubeopTenant(c, principalOf(req), req.params.id))

  app.patch('/v1/tenants/:id', {
    config: { access: kubeopAdmin, mergePatch: true, ...byId },
    schema: { tags, summary: 'Place a tenant on a host cluster or change its quota envelope', params: IdParam, body: KubeopTenantPatch, response: responses('admin', { 200: ref(KubeopTenant) }, [404, 409, 413, 415]) },
  }, async (req) => patchKubeopTenant(c, principalOf(req), req.params.id, req.body))

  app.delete('/v1/tenants/:id', {
    config: { access: kubeopAdmin, ...byId },
    schema: { tags, summary: 'Delete a tenant (409 while it has projects)', params: IdParam, response: responses('admin', { 204: NoContent }, [404, 409]) },
  }, async (req, reply) => {
    await deleteKubeopTenant(c, principalOf(req), req.params.id)
    return reply.code(204).send()
  })
}
