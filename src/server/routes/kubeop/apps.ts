import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createApp, deleteApp, getApp, listProjectApps, patchApp } from '../../../domain/apps/app-service.js'
import { App, AppCreate, AppPatch } from '../../../domain/apps/schema.js'
import { ref } from '../../../domain/common/schema.js'
import type { AppDeps } from '../../app-deps.js'
import { principalOf } from '../../plugins/auth.js'
import { checked, kubeopProjects } from '../access.js'
import { responses } from '../shared-schemas.js'

const tags = ['kubeop', 'apps']
const IdParam = Type.Object({ id: Type.String({ format: 'uuid', description: 'App id' }) })
const byId = checked(['id', 'uuid'])

/** Apps (seed 004): delivery specs the operator converges into workloads and hook Jobs. */
export const appRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/v1/apps', {
    config: { access: kubeopProjects },
    schema: { tags, summary: "Create an app in a project (images only from the platform's allowed registries)", body: AppCreate, response: responses('admin', { 201: ref(App) }, [404, 409, 413, 415, 422]) },
  }, async (req, reply) => reply.code(201).send(await createApp(c, principalOf(req), req.body)))

  app.get('/v1/apps', {
    config: { access: kubeopProjects, queryParams: [['projectID', 'uuid']] },
    schema: {
      tags, summary: "List a project's apps (every app for the admin without projectID)",
      querystring: Type.Object({ projectID: Type.Optional(Type.String({ format: 'uuid' })) }),
      response: responses('admin', { 200: Type.Array(ref(App)) }, [404]),
    },
  }, async (req) => listProjectApps(c, principalOf(req), req.query.projectID))

  app.get('/v1/apps/:id', {
    config: { access: kubeopProjects, ...byId },
    schema: { tags, summary: 'Get an app with its rollout and hook status', params: IdParam, response: responses('admin', { 200: ref(App) }, [404]) },
  }, async (req) => getApp(c, principalOf(req), req.params.id))

  app.patch('/v1/apps/:id', {
    config: { access: kubeopProjects, mergePatch: true, ...byId },
    schema: { tags, summary: 'Change an app (a new image or spec rolls out a new revision)', params: IdParam, body: AppPatch, response: responses('admin', { 200: ref(App) }, [404, 409, 413, 415]) },
  }, async (req) => patchApp(c, principalOf(req), req.params.id, req.body))

  app.delete('/v1/apps/:id', {
    config: { access: kubeopProjects, ...byId },
    schema: { tags, summary: 'Delete an app and everything it made; answered at once, finished by the operator', params: IdParam, response: responses('admin', { 202: ref(App) }, [404]) },
  }, async (req, reply) => reply.code(202).send(await deleteApp(c, principalOf(req), req.params.id)))
}
