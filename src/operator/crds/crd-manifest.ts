import type { TSchema } from '@sinclair/typebox'
import { FIELD_MANAGER } from '../labels.js'
import { GROUP, VERSION } from './group.js'
import { toStructuralSchema, type StructuralSchema } from './structural-schema.js'

/** A column of `kubectl get` (additionalPrinterColumns). */
export interface PrinterColumn {
  name: string
  type: 'string' | 'integer' | 'date' | 'boolean' | 'number'
  jsonPath: string
  description?: string
  /** 1: shown only by `kubectl get -o wide`. */
  priority?: number
}

/** Everything that makes one CRD: names, scope, the TypeBox schemas and the columns. */
export interface CrdDefinition {
  kind: string
  plural: string
  singular: string
  shortNames: string[]
  scope: 'Cluster' | 'Namespaced'
  spec: TSchema
  status: TSchema
  printerColumns: PrinterColumn[]
}

/** A CustomResourceDefinition as kubectl would apply it (wire names, JSON-ready). */
export interface CrdManifest {
  apiVersion: 'apiextensions.k8s.io/v1'
  kind: 'CustomResourceDefinition'
  metadata: { name: string; labels: Record<string, string> }
  spec: {
    group: string
    scope: CrdDefinition['scope']
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames: string[]; categories: string[] }
    versions: Array<{
      name: string
      served: boolean
      storage: boolean
      subresources: { status: Record<string, never> }
      additionalPrinterColumns: PrinterColumn[]
      schema: { openAPIV3Schema: StructuralSchema }
    }>
  }
}

const READY_COLUMN: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' }
const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }

/**
 * The CRD of `def`, its schema generated from the same TypeBox objects that type the operator's
 * code, so the manifest and the code cannot drift. Every kind gets a status subresource (the
 * operator is its only writer), a Ready and an Age column, and the `kubeop` category
 * (`kubectl get kubeop` lists all three kinds).
 */
export function crdManifest(def: CrdDefinition): CrdManifest {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${GROUP}`, labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER } },
    spec: {
      group: GROUP,
      scope: def.scope,
      names: { kind: def.kind, listKind: `${def.kind}List`, plural: def.plural, singular: def.singular, shortNames: def.shortNames, categories: ['kubeop'] },
      versions: [{
        name: VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [...def.printerColumns, READY_COLUMN, AGE_COLUMN],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            required: ['spec'],
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: toStructuralSchema(def.spec, `${def.kind}.spec`),
              status: toStructuralSchema(def.status, `${def.kind}.status`),
            },
          },
        },
      }],
    },
  }
}
