import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { createCluster, deleteCluster, getTenantCluster, listTenantClusters } from '../../../domain/clusters/cluster-service.js'
import { patchCluster } from '../../../domain/clusters/cluster-update.js'
import { ClusterCreate, ClusterPatch } from '../../../domain/clusters/schema.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { etagOf } from '../../../lib/etag.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

export const ClusterParams = Type.Object({ tenant: Type.String(), name: Type.String({ description: 'Cluster name' }) })
const nameOf = (params: unknown) => (params as { name: string }).name
const ifMatchOf = (headers: Record<string, unknown>) => headers['if-match'] as string | undefined
const read = { kind: 'tenant', role: 'any', write: false } as const
const write = { kind: 'tenant', role: 'admin', write: true } as const
const byName = { pathParams: [['name', 'name']] as Array<[string, 'name']> }

/** Clusters (spec §5.2): provisioned asynchronously by the cluster controller. */
export const clusterRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get('/tenants/:tenant/clusters', {
    config: { access: read, list: true },
    schema: { tags: ['clusters'], summary: 'List clusters', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(Type.Ref('Cluster')) }) },
  }, async (req) => listTenantClusters(c, tenantContextOf(req), parsePage(req.query as object)))

  app.post('/tenants/:tenant/clusters', {
    config: { access: write, fieldPrefix: 'spec.' },
    schema: { tags: ['clusters'], summary: 'Create a cluster', params: TenantParam, body: ClusterCreate, response: responses('tenant-write', { 201: Type.Ref('ClusterCreated') }, [409, 413, 415, 422]) },
  }, async (req, reply) => {
    const cluster = await createCluster(c, tenantContextOf(req), req.body as ClusterCreate)
    return reply.code(201).header('etag', etagOf(cluster.resourceVersion)).send(cluster)
  })

  app.get('/tenants/:tenant/clusters/:name', {
    config: { access: read, conditional: true, ...byName },
    schema: { tags: ['clusters'], summary: 'Get a cluster', params: ClusterParams, response: responses('tenant-read', { 200: Type.Ref('Cluster'), 304: Type.Null() }, [404]) },
  }, async (req, reply) => {
    const cluster = await getTenantCluster(c, tenantContextOf(req), nameOf(req.params))
    return reply.header('etag', etagOf(cluster.resourceVersion)).send(cluster)
  })

  app.patch('/tenants/:tenant/clusters/:name', {
    config: { access: write, fieldPrefix: 'spec.', mergePatch: true, ...byName },
    schema: { tags: ['clusters'], summary: 'Update a cluster', params: ClusterParams, body: ClusterPatch, response: responses('tenant-write', { 200: Type.Ref('Cluster') }, [404, 409, 412, 413, 415]) },
  }, async (req, reply) => {
    const cluster = await patchCluster(c, tenantContextOf(req), nameOf(req.params), req.body as ClusterPatch, ifMatchOf(req.headers))
    return reply.header('etag', etagOf(cluster.resourceVersion)).send(cluster)
  })

  app.delete('/tenants/:tenant/clusters/:name', {
    config: { access: write, ...byName },
    schema: { tags: ['clusters'], summary: 'Delete a cluster', params: ClusterParams, response: responses('tenant-write', { 204: NoContent }, [404, 412]) },
  }, async (req, reply) => {
    await deleteCluster(c, tenantContextOf(req), nameOf(req.params), ifMatchOf(req.headers))
    return reply.code(204).send()
  })
}
