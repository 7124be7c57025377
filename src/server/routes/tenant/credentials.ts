import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ConnectionDetails } from '../../../domain/clusters/schema.js'
import { CREDENTIAL_ID } from '../../../domain/common/names.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref, stringEnum } from '../../../domain/common/schema.js'
import { getConnection, getConnectionDetails } from '../../../domain/credentials/connection-service.js'
import { createClusterCredential, listClusterCredentials, revokeClusterCredential } from '../../../domain/credentials/credential-service.js'
import { Credential, CredentialCreate, CredentialCreated, Kubeconfig } from '../../../domain/credentials/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { anyMemberReads, byName, checked } from '../access.js'
import { list, ListQuery, NoContent, responses } from '../shared-schemas.js'
import { ClusterParams } from './clusters.js'

const tags = ['credentials']
const yaml = 'application/yaml; charset=utf-8'

/** JSON connection details, or with `?format=yaml` a kubeconfig embedding a new credential. */
const ConnectionResponse = Type.Unsafe({
  description: 'Connection details (format=json) or a kubeconfig (format=yaml)',
  headers: { 'kupe-credential-id': { type: 'string', pattern: CREDENTIAL_ID, description: 'format=yaml: the credential embedded in the kubeconfig' } },
  content: {
    'application/json': { schema: ref(ConnectionDetails) },
    'application/yaml': { schema: ref(Kubeconfig) },
  },
})

/** Connection details and short-lived cluster credentials (spec §5.3). */
export const credentialRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/clusters/:name/kubeconfig', {
    // Name and format are checked by the service: YAML issues a credential, so suspension comes first (§2.4).
    config: { access: anyMemberReads },
    schema: {
      tags, summary: 'Connection details (JSON) or a kubeconfig with a new credential (YAML)', params: ClusterParams,
      querystring: Type.Object({ format: Type.Optional(stringEnum(['json', 'yaml'] as const)) }),
      response: responses('tenant-read', { 200: ConnectionResponse }, [404, 503]),
    },
  }, async (req, reply) => {
    const conn = await getConnection(c, tenantContextOf(req), req.params.name, req.query.format)
    if (conn.format === 'json') return reply.send(conn.details)
    return reply.headers({ 'content-type': yaml, 'cache-control': 'no-store', 'kupe-credential-id': conn.credentialId }).send(conn.kubeconfig)
  })

  // The Kupe CLI's name for the JSON form (decision 0019): the same body, auth and errors.
  app.get('/tenants/:tenant/clusters/:name/connection-details', {
    config: { access: anyMemberReads },
    schema: { tags, summary: 'Connection details (the JSON form of …/kubeconfig)', params: ClusterParams, response: responses('tenant-read', { 200: ref(ConnectionDetails) }, [404, 503]) },
  }, async (req) => getConnectionDetails(c, tenantContextOf(req), req.params.name))

  app.post('/tenants/:tenant/clusters/:name/credentials', {
    // The body may be omitted (optionalBody): the service then takes every default.
    config: { access: { ...anyMemberReads, write: true }, optionalBody: true, noStore: true, ...byName },
    schema: { tags, summary: 'Issue a short-lived cluster credential', params: ClusterParams, body: CredentialCreate, response: responses('tenant-write', { 201: ref(CredentialCreated) }, [404, 409, 413, 415, 422, 503]) },
  }, async (req, reply) => reply.code(201).send(await createClusterCredential(c, tenantContextOf(req), req.params.name, req.body)))

  app.get('/tenants/:tenant/clusters/:name/credentials', {
    config: { access: anyMemberReads, list: true, ...byName },
    schema: { tags, summary: 'List live cluster credentials', params: ClusterParams, querystring: ListQuery, response: responses('tenant-read', { 200: list(ref(Credential)) }, [404]) },
  }, async (req) => listClusterCredentials(c, tenantContextOf(req), req.params.name, parsePage(req.query)))

  app.delete('/tenants/:tenant/clusters/:name/credentials/:id', {
    // Taking access away is allowed on suspended tenants (§2.4); readonly may revoke its own.
    config: { access: anyMemberReads, ...checked(['name', 'name'], ['id', 'credentialId']) },
    schema: { tags, summary: 'Revoke a cluster credential', params: Type.Object({ tenant: Type.String(), name: Type.String(), id: Type.String() }), response: responses('tenant-write', { 204: NoContent }, [404]) },
  }, async (req, reply) => {
    await revokeClusterCredential(c, tenantContextOf(req), req.params.name, req.params.id)
    return reply.code(204).send()
  })
}
