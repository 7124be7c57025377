import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { getConnection } from '../../../domain/credentials/connection-service.js'
import { createClusterCredential, listClusterCredentials, revokeClusterCredential } from '../../../domain/credentials/credential-service.js'
import { CredentialCreate } from '../../../domain/credentials/schema.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { list, ListQuery, NoContent, responses } from '../shared-schemas.js'
import { ClusterParams } from './clusters.js'

const nameOf = (params: unknown) => (params as { name: string }).name
const any = { kind: 'tenant', role: 'any', write: false } as const
const byName = { pathParams: [['name', 'name']] as Array<[string, 'name']> }
const yaml = 'application/yaml; charset=utf-8'

/** JSON connection details, or with `?format=yaml` a kubeconfig embedding a new credential. */
const ConnectionResponse = Type.Unsafe({
  description: 'Connection details (format=json) or a kubeconfig (format=yaml)',
  headers: { 'kupe-credential-id': { type: 'string', description: 'format=yaml: the credential embedded in the kubeconfig' } },
  content: {
    'application/json': { schema: Type.Ref('ConnectionDetails') },
    'application/yaml': { schema: { type: 'string', description: 'kubeconfig (spec §6.3)' } },
  },
})

/** Connection details and short-lived cluster credentials (spec §5.3). */
export const credentialRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get('/tenants/:tenant/clusters/:name/kubeconfig', {
    // Name and format are checked by the service: YAML issues a credential, so suspension comes first (§2.4).
    config: { access: any },
    schema: {
      tags: ['credentials'], summary: 'Connection details (JSON) or a kubeconfig with a new credential (YAML)', params: ClusterParams,
      querystring: Type.Object({ format: Type.Optional(Type.Unsafe<'json' | 'yaml'>({ type: 'string', enum: ['json', 'yaml'] })) }),
      response: responses('tenant-read', { 200: ConnectionResponse }, [404, 503]),
    },
  }, async (req, reply) => {
    const conn = await getConnection(c, tenantContextOf(req), nameOf(req.params), (req.query as { format?: unknown }).format)
    if (conn.format === 'json') return reply.send(conn.details)
    return reply.headers({ 'content-type': yaml, 'cache-control': 'no-store', 'kupe-credential-id': conn.credentialId }).send(conn.kubeconfig)
  })

  app.post('/tenants/:tenant/clusters/:name/credentials', {
    config: { access: { kind: 'tenant', role: 'any', write: true }, optionalBody: true, noStore: true, ...byName },
    schema: { tags: ['credentials'], summary: 'Issue a short-lived cluster credential', params: ClusterParams, body: CredentialCreate, response: responses('tenant-write', { 201: Type.Ref('CredentialCreated') }, [404, 409, 413, 415, 422, 503]) },
  }, async (req, reply) =>
    reply.code(201).send(await createClusterCredential(c, tenantContextOf(req), nameOf(req.params), req.body as CredentialCreate | undefined)))

  app.get('/tenants/:tenant/clusters/:name/credentials', {
    config: { access: any, list: true, ...byName },
    schema: { tags: ['credentials'], summary: 'List live cluster credentials', params: ClusterParams, querystring: ListQuery, response: responses('tenant-read', { 200: list(Type.Ref('Credential')) }, [404]) },
  }, async (req) => listClusterCredentials(c, tenantContextOf(req), nameOf(req.params), parsePage(req.query as object)))

  app.delete('/tenants/:tenant/clusters/:name/credentials/:id', {
    // Taking access away is allowed on suspended tenants (§2.4); readonly may revoke its own.
    config: { access: any, pathParams: [['name', 'name'], ['id', 'credentialId']] },
    schema: { tags: ['credentials'], summary: 'Revoke a cluster credential', params: Type.Object({ tenant: Type.String(), name: Type.String(), id: Type.String() }), response: responses('tenant-write', { 204: NoContent }, [404]) },
  }, async (req, reply) => {
    await revokeClusterCredential(c, tenantContextOf(req), nameOf(req.params), (req.params as { id: string }).id)
    return reply.code(204).send()
  })
}
