import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createCluster, deleteCluster, getTenantCluster, listTenantClusters } from '../../../domain/clusters/cluster-service.js'
import { patchCluster } from '../../../domain/clusters/cluster-update.js'
import { Cluster, ClusterCreate, ClusterCreated, ClusterPatch } from '../../../domain/clusters/schema.js'
import { ref, ResourceName } from '../../../domain/common/schema.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { etagOf } from '../../../lib/etag.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminWrites, anyMemberReads, byName } from '../access.js'
import { list, ListQuery, NoContent, responses, TenantParam } from '../shared-schemas.js'

export const ClusterParams = Type.Object({ tenant: Type.String(), name: ResourceName('Cluster name') })

/** Clusters (spec §5.2): provisioned asynchronously by the cluster controller. */
export const clusterRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/clusters', {
    config: { access: anyMemberReads, list: true },
    schema: { tags: ['clusters'], summary: 'List clusters', params: TenantParam, querystring: ListQuery, response: responses('tenant-read', { 200: list(ref(Cluster)) }) },
  }, async (req) => listTenantClusters(c, tenantContextOf(req), parsePage(req.query)))

  app.post('/tenants/:tenant/clusters', {
    config: { access: adminWrites, fieldPrefix: 'spec.' },
    schema: { tags: ['clusters'], summary: 'Create a cluster', params: TenantParam, body: ClusterCreate, response: responses('tenant-write', { 201: ref(ClusterCreated) }, [409, 413, 415, 422]) },
  }, async (req, reply) => {
    const cluster = await createCluster(c, tenantContextOf(req), req.body)
    return reply.code(201).header('etag', etagOf(cluster.resourceVersion)).send(cluster)
  })

  app.get('/tenants/:tenant/clusters/:name', {
    config: { access: anyMemberReads, conditional: true, ...byName },
    schema: { tags: ['clusters'], summary: 'Get a cluster', params: ClusterParams, response: responses('tenant-read', { 200: ref(Cluster), 304: Type.Null() }, [404]) },
  }, async (req, reply) => {
    const cluster = await getTenantCluster(c, tenantContextOf(req), req.params.name)
    return reply.header('etag', etagOf(cluster.resourceVersion)).send(cluster)
  })

  app.patch('/tenants/:tenant/clusters/:name', {
    config: { access: adminWrites, fieldPrefix: 'spec.', mergePatch: true, ...byName },
    schema: { tags: ['clusters'], summary: 'Update a cluster', params: ClusterParams, body: ClusterPatch, response: responses('tenant-write', { 200: ref(Cluster) }, [404, 409, 412, 413, 415]) },
  }, async (req, reply) => {
    const cluster = await patchCluster(c, tenantContextOf(req), req.params.name, req.body, req.headers['if-match'])
    return reply.header('etag', etagOf(cluster.resourceVersion)).send(cluster)
  })

  app.delete('/tenants/:tenant/clusters/:name', {
    config: { access: adminWrites, ...byName },
    schema: { tags: ['clusters'], summary: 'Delete a cluster', params: ClusterParams, response: responses('tenant-write', { 204: NoContent }, [404, 412]) },
  }, async (req, reply) => {
    await deleteCluster(c, tenantContextOf(req), req.params.name, req.headers['if-match'])
    return reply.code(204).send()
  })
}
