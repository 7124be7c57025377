import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { reviewToken, TokenReviewRequest, TokenReviewResponse } from '../../../domain/auth/token-review.js'
import type { AppDeps } from '../../app-deps.js'
import { publicRoute } from '../access.js'
import { responses } from '../shared-schemas.js'

/**
 * The TokenReview webhook tenant API servers of the local provider call (spec §2.6). Not part
 * of the tenant API: the caller is a cluster's API server, which proves itself with the secret
 * at the end of its URL (checked by the service), so the API-key pipeline does not apply, and
 * the URL is never logged (only warnings and errors, which do not carry it).
 */
export const tokenReviewRoutes = (c: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/internal/v1/clusters/:id/tokenreview/:secret', {
    logLevel: 'warn',
    config: { access: publicRoute, unmetered: true },
    schema: {
      tags: ['internal'], summary: 'Token review for a tenant cluster API server (Kubernetes webhook)',
      params: Type.Object({ id: Type.String({ description: 'Cluster id' }), secret: Type.String({ description: "The cluster API server's webhook secret" }) }),
      body: TokenReviewRequest,
      response: responses('public', { 200: TokenReviewResponse }, [400, 401, 413, 415]),
    },
  }, async (req) => reviewToken(c, req.params.id, req.params.secret, req.body))
}
