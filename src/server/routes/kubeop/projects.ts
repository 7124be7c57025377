import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../../domain/common/schema.js'
import { createProject, deleteProject, getProject, listTenantProjects } from '../../../domain/projects/project-service.js'
import { Project, ProjectCreate } from '../../../domain/projects/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { principalOf } from '../../plugins/auth.js'
import { checked, kubeopProjects, kubeopTenants } from '../access.js'
import { responses } from '../shared-schemas.js'

const tags = ['kubeop', 'projects']
const IdParam = Type.Object({ id: Type.String({ format: 'uuid', description: 'Project id' }) })
const byId = checked(['id', 'uuid'])

/** Projects (seed 004): a namespace with quota, limits and network isolation on the tenant's host cluster. */
export const projectRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/v1/projects', {
    config: { access: kubeopTenants },
    schema: { tags, summary: "Create a project in a tenant (its quota must fit the tenant's envelope)", body: ProjectCreate, response: responses('admin', { 201: ref(Project) }, [404, 409, 413, 415, 422]) },
  }, async (req, reply) => reply.code(201).send(await createProject(c, principalOf(req), req.body)))

  app.get('/v1/projects', {
    config: { access: kubeopTenants, queryParams: [['tenantID', 'uuid']] },
    schema: {
      tags, summary: "List a tenant's projects (every project for the admin without tenantID)",
      querystring: Type.Object({ tenantID: Type.Optional(Type.String({ format: 'uuid' })) }),
      response: responses('admin', { 200: Type.Array(ref(Project)) }),
    },
  }, async (req) => listTenantProjects(c, principalOf(req), req.query.tenantID))

  app.get('/v1/projects/:id', {
    config: { access: kubeopProjects, ...byId },
    schema: { tags, summary: 'Get a project', params: IdParam, response: responses('admin', { 200: ref(Project) }, [404]) },
  }, async (req) => getProject(c, principalOf(req), req.params.id))

  app.delete('/v1/projects/:id', {
    config: { access: kubeopTenants, ...byId },
    schema: {
      tags, summary: 'Delete a project and its namespace (409 while it has apps); answered at once, finished by the operator',
      params: IdParam, response: responses('admin', { 202: ref(Project) }, [404, 409]),
    },
  }, async (req, reply) => reply.code(202).send(await deleteProject(c, principalOf(req), req.params.id)))
}
