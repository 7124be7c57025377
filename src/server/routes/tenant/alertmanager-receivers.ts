import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { deleteReceiver, getReceiver, listReceivers, putReceiver } from '../../../domain/alertmanager/alertmanager-service.js'
import { AlertmanagerReceiver, AlertmanagerReceiverList, RECEIVER_NAME } from '../../../domain/alertmanager/schema.js'
import { ref } from '../../../domain/common/schema.js'
import { etagOf } from '../../../lib/etag.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminWrites, anyMemberReads } from '../access.js'
import { NoContent, responses, TenantParam } from '../shared-schemas.js'

const tags = ['alertmanager']
const NameParams = Type.Object({
  tenant: Type.String({ description: 'Tenant name' }),
  name: Type.String({ pattern: RECEIVER_NAME, description: `Receiver name; "kupe-unrouted" is reserved` }),
})
const bodyLimit = 256 * 1024

/** Receivers of the tenant's Alertmanager (issue #12): admins write, every member reads them masked. */
export const alertmanagerReceiverRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/alertmanager/receivers', {
    config: { access: anyMemberReads },
    schema: { tags, summary: 'List Alertmanager receivers', params: TenantParam, response: responses('tenant-read', { 200: AlertmanagerReceiverList }) },
  }, async (req) => listReceivers(c, tenantContextOf(req)))

  app.get('/tenants/:tenant/alertmanager/receivers/:name', {
    config: { access: anyMemberReads, conditional: true },
    schema: { tags, summary: 'Get an Alertmanager receiver', params: NameParams, response: responses('tenant-read', { 200: ref(AlertmanagerReceiver), 304: Type.Null() }, [404]) },
  }, async (req, reply) => {
    const r = await getReceiver(c, tenantContextOf(req), req.params.name)
    return reply.header('etag', etagOf(r.version)).send(r.body)
  })

  app.put('/tenants/:tenant/alertmanager/receivers/:name', {
    bodyLimit,
    config: { access: adminWrites },
    schema: {
      tags, summary: 'Create or replace an Alertmanager receiver', params: NameParams, body: AlertmanagerReceiver,
      response: responses('tenant-write', { 200: ref(AlertmanagerReceiver), 201: ref(AlertmanagerReceiver) }, [409, 412, 413, 415, 503]),
    },
  }, async (req, reply) => {
    const r = await putReceiver(c, tenantContextOf(req), req.params.name, req.body, req.headers['if-match'])
    return reply.code(r.created ? 201 : 200).header('etag', etagOf(r.version)).send(r.body)
  })

  app.delete('/tenants/:tenant/alertmanager/receivers/:name', {
    config: { access: adminWrites },
    schema: { tags, summary: 'Delete an Alertmanager receiver (409 while a route uses it)', params: NameParams, response: responses('tenant-write', { 204: NoContent }, [404, 409, 412]) },
  }, async (req, reply) => {
    await deleteReceiver(c, tenantContextOf(req), req.params.name, req.headers['if-match'])
    return reply.code(204).send()
  })
}
