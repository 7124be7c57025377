import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../../container.js'
import { reviewToken, TokenReviewRequest, TokenReviewResponse } from '../../../domain/auth/token-review.js'
import { responses } from '../shared-schemas.js'

/**
 * The TokenReview webhook tenant API servers of the local provider call (spec §2.6). Not part
 * of the tenant API: the caller is a cluster's API server, which proves itself with the secret
 * at the end of its URL (checked by the service), so the API-key pipeline does not apply, and
 * the URL is never logged (only warnings and errors, which do not carry it).
 */
export const tokenReviewRoutes = (c: Container) => async (app: FastifyInstance) => {
  app.post('/internal/v1/clusters/:id/tokenreview/:secret', {
    logLevel: 'warn',
    config: { access: { kind: 'public' }, unmetered: true },
    schema: {
      tags: ['internal'], summary: 'Token review for a tenant cluster API server (Kubernetes webhook)',
      params: Type.Object({ id: Type.String({ description: 'Cluster id' }), secret: Type.String({ description: "The cluster API server's webhook secret" }) }),
      body: TokenReviewRequest,
      response: responses('public', { 200: TokenReviewResponse }, [400, 401, 413, 415]),
    },
  }, async (req) => {
    const { id, secret } = req.params as { id: string; secret: string }
    return reviewToken(c, id, secret, req.body as TokenReviewRequest)
  })
}
