import type { FastifyRequest } from 'fastify'

/**
 * Plugins run for every route, so they see `params` and `query` untyped. Fastify parses both
 * into plain objects (params of strings; a repeated query key becomes an array); these read
 * them through checks instead of casts.
 */
const isStringRecord = (value: unknown): value is Record<string, string | undefined> =>
  typeof value === 'object' && value !== null && Object.values(value).every((v) => v === undefined || typeof v === 'string')

export const stringParamsOf = (req: FastifyRequest): Record<string, string | undefined> => (isStringRecord(req.params) ? req.params : {})

export const queryOf = (req: FastifyRequest): Record<string, unknown> =>
  typeof req.query === 'object' && req.query !== null ? Object.fromEntries(Object.entries(req.query)) : {}
