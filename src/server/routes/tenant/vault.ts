import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { parsePage } from '../../../domain/common/pagination.js'
import { ref } from '../../../domain/common/schema.js'
import { VaultEntry, VaultListQuery, VaultReadQuery, VaultValue, VaultVersions, VaultWrite, VaultWriteResult } from '../../../domain/vault/schema.js'
import { deleteVaultPath, listVaultPaths, listVaultVersions, readVaultValue, writeVaultValue } from '../../../domain/vault/vault-service.js'
import type { AppDeps } from '../../app-deps.js'
import { tenantContextOf } from '../../plugins/auth.js'
import { adminReads, adminWrites, anyMemberReads, checked } from '../access.js'
import { list, NoContent, responses, TenantParam } from '../shared-schemas.js'

const tags = ['vault']
const PathParams = Type.Object({ tenant: Type.String(), '*': Type.String({ description: 'Vault path; may contain `/`' }) })
const onPath = checked(['*', 'vaultPath'])

/** The tenant vault (spec §5.5): listing is metadata for any member; values are admin only. */
export const vaultRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/tenants/:tenant/vault', {
    config: { access: anyMemberReads, list: true },
    schema: { tags, summary: 'List vault paths', params: TenantParam, querystring: VaultListQuery, response: responses('tenant-read', { 200: list(ref(VaultEntry)) }) },
  }, async (req) => listVaultPaths(c, tenantContextOf(req), req.query, parsePage(req.query)))

  app.put('/tenants/:tenant/vault/*', {
    bodyLimit: 2 * 1024 * 1024,
    config: { access: adminWrites, ...onPath },
    schema: { tags, summary: 'Write a vault value', params: PathParams, body: VaultWrite, response: responses('tenant-write', { 200: ref(VaultWriteResult) }, [413, 415]) },
  }, async (req) => writeVaultValue(c, tenantContextOf(req), req.params['*'], req.body))

  app.get('/tenants/:tenant/vault/*', {
    config: { access: adminReads, noStore: true, ...onPath },
    schema: { tags, summary: 'Read a vault value', params: PathParams, querystring: VaultReadQuery, response: responses('tenant-read', { 200: ref(VaultValue) }, [404]) },
  }, async (req) => readVaultValue(c, tenantContextOf(req), req.params['*'], req.query))

  // Its own collection, not `vault/{path}/versions`: a vault path may itself end in `versions`.
  app.get('/tenants/:tenant/vault-versions/*', {
    config: { access: anyMemberReads, ...onPath },
    schema: {
      tags, summary: 'List the kept versions of a vault path (numbers and write times, never values)', params: PathParams,
      response: responses('tenant-read', { 200: ref(VaultVersions) }, [404]),
    },
  }, async (req) => listVaultVersions(c, tenantContextOf(req), req.params['*']))

  app.delete('/tenants/:tenant/vault/*', {
    config: { access: adminWrites, ...onPath },
    schema: { tags, summary: 'Delete a vault path and every version', params: PathParams, response: responses('tenant-write', { 204: NoContent }, [404]) },
  }, async (req, reply) => {
    await deleteVaultPath(c, tenantContextOf(req), req.params['*'])
    return reply.code(204).send()
  })
}
