import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../../domain/common/schema.js'
import { getHostCluster, listAllHostClusters, registerHostCluster, removeHostCluster } from '../../../domain/hostclusters/host-cluster-service.js'
import { HostCluster, HostClusterRegister } from '../../../domain/hostclusters/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { checked, kubeopAdmin } from '../access.js'
import { NoContent, responses } from '../shared-schemas.js'

const tags = ['kubeop', 'host-clusters']
const IdParam = Type.Object({ id: Type.String({ format: 'uuid', description: 'Host cluster id' }) })
const byId = checked(['id', 'uuid'])

/** Host clusters (seed 004 `/v1/clusters`): where tenants' projects and apps run; admin only. */
export const hostClusterRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/v1/clusters', {
    config: { access: kubeopAdmin },
    schema: {
      tags, summary: 'Register a host cluster: its kubeconfig is checked (/readyz, /version, nodes) and stored encrypted', body: HostClusterRegister,
      response: responses('admin', { 201: ref(HostCluster) }, [409, 413, 415, 422]),
    },
  }, async (req, reply) => reply.code(201).send(await registerHostCluster(c, req.body)))

  app.get('/v1/clusters', {
    config: { access: kubeopAdmin },
    schema: { tags, summary: 'List host clusters with their last health check', response: responses('admin', { 200: Type.Array(ref(HostCluster)) }) },
  }, async () => listAllHostClusters(c))

  app.get('/v1/clusters/:id', {
    config: { access: kubeopAdmin, ...byId },
    schema: { tags, summary: 'Get a host cluster, checked live', params: IdParam, response: responses('admin', { 200: ref(HostCluster) }, [404]) },
  }, async (req) => getHostCluster(c, req.params.id))

  app.delete('/v1/clusters/:id', {
    config: { access: kubeopAdmin, ...byId },
    schema: { tags, summary: 'Delete a host cluster (409 while tenants are placed on it)', params: IdParam, response: responses('admin', { 204: NoContent }, [404, 409]) },
  }, async (req, reply) => {
    await removeHostCluster(c, req.params.id)
    return reply.code(204).send()
  })
}
