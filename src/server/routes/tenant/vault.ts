import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { parsePage } from '../../../domain/common/pagination.js'
import { VaultListQuery, VaultReadQuery, VaultWrite } from '../../../domain/vault/schema.js'
import { deleteVaultPath, listVaultPaths, readVaultValue, writeVaultValue } from '../../../domain/vault/vault-service.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { list, NoContent, responses, TenantParam } from '../shared-schemas.js'

const PathParams = Type.Object({ tenant: Type.String(), '*': Type.String({ description: 'Vault path; may contain `/`' }) })
const pathOf = (params: unknown) => (params as { '*': string })['*']
const onPath = { pathParams: [['*', 'vaultPath']] as Array<[string, 'vaultPath']> }

/** The tenant vault (spec §5.5): listing is metadata for any member; values are admin only. */
export const vaultRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.get(
    '/tenants/:tenant/vault',
    {
      config: { access: { kind: 'tenant', role: 'any', write: false }, list: true },
      schema: { tags: ['vault'], summary: 'List vault paths', params: TenantParam, querystring: VaultListQuery, response: responses('tenant-read', { 200: list(Type.Ref('VaultEntry')) }) },
    },
    async (req) => listVaultPaths(c, tenantContextOf(req), req.query as { prefix?: unknown }, parsePage(req.query as object)),
  )
  app.put(
    '/tenants/:tenant/vault/*',
    {
      bodyLimit: 2 * 1024 * 1024,
      config: { access: { kind: 'tenant', role: 'admin', write: true }, ...onPath },
      schema: { tags: ['vault'], summary: 'Write a vault value', params: PathParams, body: VaultWrite, response: responses('tenant-write', { 200: Type.Ref('VaultWriteResult') }, [413, 415]) },
    },
    async (req) => writeVaultValue(c, tenantContextOf(req), pathOf(req.params), req.body as VaultWrite),
  )
  app.get(
    '/tenants/:tenant/vault/*',
    {
      config: { access: { kind: 'tenant', role: 'admin', write: false }, noStore: true, ...onPath },
      schema: { tags: ['vault'], summary: 'Read a vault value', params: PathParams, querystring: VaultReadQuery, response: responses('tenant-read', { 200: Type.Ref('VaultValue') }, [404]) },
    },
    async (req) => readVaultValue(c, tenantContextOf(req), pathOf(req.params), req.query as { version?: unknown }),
  )
  app.delete(
    '/tenants/:tenant/vault/*',
    {
      config: { access: { kind: 'tenant', role: 'admin', write: true }, ...onPath },
      schema: { tags: ['vault'], summary: 'Delete a vault path and every version', params: PathParams, response: responses('tenant-write', { 204: NoContent }, [404]) },
    },
    async (req, reply) => {
      await deleteVaultPath(c, tenantContextOf(req), pathOf(req.params))
      return reply.code(204).send()
    },
  )
}
