import { Type } from '@sinclair/typebox'
import { Condition } from '../../domain/common/schema.js'

/**
 * Status fields every kind shares. Conditions are the domain's Condition, typed in full (kubeOP's
 * were bare objects the API server pruned to `{}`), and a map keyed by `type`, so server-side
 * apply merges them one by one.
 */
export const Conditions = Type.Array(Condition, { maxItems: 16, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })

export const ObservedGeneration = Type.Integer({ minimum: 0, description: 'The metadata.generation this status describes' })
