import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getGlobal, getRoutes, putGlobal, putRoutes } from '../../../domain/alertmanager/alertmanager-service.js'
import { AlertmanagerGlobal, AlertmanagerRoutes, AlertmanagerRoutesWrite } from '../../../domain/alertmanager/schema.js'
import { ref } from '../../../domain/common/schema.js'
import { etagOf } from '../../../lib/etag.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminWrites, anyMemberReads } from '../access.js'
import { responses, TenantParam } from '../shared-schemas.js'

const tags = ['alertmanager']
const bodyLimit = 256 * 1024
const ETAG = 'The ETag is "0" until the first PUT'

/** The routes and the global section of the tenant's Alertmanager (issue #12); each has its own ETag. */
export const alertmanagerConfigRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/alertmanager/routes', {
    config: { access: anyMemberReads, conditional: true },
    schema: { tags, summary: 'Get the Alertmanager routes', description: ETAG, params: TenantParam, response: responses('tenant-read', { 200: ref(AlertmanagerRoutes), 304: Type.Null() }) },
  }, async (req, reply) => {
    const r = await getRoutes(c, tenantContextOf(req))
    return reply.header('etag', etagOf(r.version)).send(r.body)
  })

  app.put('/tenants/:tenant/alertmanager/routes', {
    bodyLimit,
    config: { access: adminWrites },
    schema: {
      tags, summary: 'Replace the Alertmanager routes', description: 'The child routes of the root route, in order; `null` or `[]` removes them all',
      params: TenantParam, body: AlertmanagerRoutesWrite, response: responses('tenant-write', { 200: ref(AlertmanagerRoutes) }, [409, 412, 413, 415, 503]),
    },
  }, async (req, reply) => {
    const r = await putRoutes(c, tenantContextOf(req), req.body, req.headers['if-match'])
    return reply.header('etag', etagOf(r.version)).send(r.body)
  })

  app.get('/tenants/:tenant/alertmanager/global', {
    config: { access: anyMemberReads, conditional: true },
    schema: { tags, summary: 'Get the Alertmanager global section', description: ETAG, params: TenantParam, response: responses('tenant-read', { 200: ref(AlertmanagerGlobal), 304: Type.Null() }) },
  }, async (req, reply) => {
    const r = await getGlobal(c, tenantContextOf(req))
    return reply.header('etag', etagOf(r.version)).send(r.body)
  })

  app.put('/tenants/:tenant/alertmanager/global', {
    bodyLimit,
    config: { access: adminWrites },
    schema: {
      tags, summary: 'Replace the Alertmanager global section', description: '`{}` resets it to Alertmanager\'s defaults',
      params: TenantParam, body: AlertmanagerGlobal, response: responses('tenant-write', { 200: ref(AlertmanagerGlobal) }, [409, 412, 413, 415, 503]),
    },
  }, async (req, reply) => {
    const r = await putGlobal(c, tenantContextOf(req), req.body, req.headers['if-match'])
    return reply.header('etag', etagOf(r.version)).send(r.body)
  })
}
