import type { FastifyRequest } from 'fastify'

/**
 * Plugins run for every route, so they see `params` and `query` untyped. Fastify parses both
 * into plain objects (params of strings; a repeated query key becomes an array); these read
 * them through checks instead of casts.
 */
const isStringRecord = (value: unknown): value is Record<string, string | undefined> =>
  typeof value === 'object' && value !== null && Object.values(value).every((v) => v === undefined || typeof v === 'string')

export const stringParamsOf = (req: FastifyRequest): Record<string, string | undefined> => (isStringRecord(req.params) ? req.params : {})

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null

/** The parsed query as it is (only read, so not copied): a repeated key is an array. */
export const queryOf = (req: FastifyRequest): Readonly<Record<string, unknown>> => (isRecord(req.query) ? req.query : {})
