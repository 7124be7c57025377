import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Type } from '@sinclair/typebox'
import { ref, Condition } from '../../domain/common/schema.js'
import { operatorCrds } from './operator-crds.js'
import { toStructuralSchema, type StructuralSchema } from './structural-schema.js'

const at = (s: StructuralSchema, ...path: string[]): StructuralSchema =>
  path.reduce((node, key) => (key === '[]' ? (node.items as StructuralSchema) : (node.properties as Record<string, StructuralSchema>)[key]!), s)

test('every node of the generated CRD schemas is typed and none says additionalProperties: false', () => {
  const walk = (s: StructuralSchema, path: string) => {
    assert.ok(s.type, `${path} has a type`)
    assert.notEqual(s.additionalProperties, false, `${path}`)
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, StructuralSchema>)) walk(v, `${path}.${k}`)
    if (s.items) walk(s.items as StructuralSchema, `${path}[]`)
  }
  for (const crd of operatorCrds()) walk(crd.spec.versions[0]!.schema.openAPIV3Schema, crd.spec.names.kind)
})

test('conditions are typed in full and keyed by type (kubeOP pruned them to empty objects)', () => {
  const [, project] = operatorCrds()
  const conditions = at(project!.spec.versions[0]!.schema.openAPIV3Schema, 'status', 'conditions')
  assert.equal(conditions['x-kubernetes-list-type'], 'map')
  assert.deepEqual(conditions['x-kubernetes-list-map-keys'], ['type'])
  const item = at(conditions, '[]')
  assert.deepEqual(Object.keys(item.properties as object).sort(), ['lastTransitionTime', 'message', 'reason', 'status', 'type'])
  assert.deepEqual(at(item, 'status').enum, ['True', 'False', 'Unknown'])
  assert.deepEqual(item.required, ['type', 'status', 'reason', 'message', 'lastTransitionTime'])
})

test("the App spec is the manager's AppSpec: its field names, Kupe formats as patterns, required image", () => {
  const app = operatorCrds()[2]!
  const spec = at(app.spec.versions[0]!.schema.openAPIV3Schema, 'spec')
  assert.deepEqual(Object.keys(spec.properties as object).sort(), ['args', 'command', 'env', 'hooks', 'host', 'image', 'ports', 'replicas', 'resources'])
  assert.deepEqual(spec.required, ['image'])
  const cpu = at(spec, 'resources', 'limits', 'cpu')
  assert.equal(cpu.format, undefined)
  assert.ok(new RegExp(cpu.pattern as string).test('500m') && !new RegExp(cpu.pattern as string).test('lots'))
  assert.equal(at(spec, 'host').maxLength, 253)
  assert.deepEqual(Object.keys(at(spec, 'hooks', 'pre', '[]').properties as object).sort(), ['args', 'command', 'image', 'name', 'timeoutSeconds'])
})

test('names, scope, status subresource and printer columns', () => {
  const crds = operatorCrds()
  assert.deepEqual(crds.map((c) => [c.metadata.name, c.spec.scope, c.spec.names.shortNames]), [
    ['tenants.platform.kubeop.io', 'Cluster', ['ten']],
    ['projects.platform.kubeop.io', 'Cluster', ['proj']],
    ['apps.platform.kubeop.io', 'Namespaced', ['kapp']],
  ])
  for (const crd of crds) {
    const v = crd.spec.versions[0]!
    assert.deepEqual(v.subresources, { status: {} })
    assert.ok(v.additionalPrinterColumns.some((c) => c.name === 'Ready' && c.jsonPath === '.status.conditions[?(@.type=="Ready")].status'))
  }
})

test('what a CRD schema cannot say throws instead of being dropped', () => {
  assert.throws(() => toStructuralSchema(Type.Object({ c: ref(Condition) })), /\$\.c: a structural schema needs a type|\$ref/)
  assert.throws(() => toStructuralSchema(Type.Union([Type.String(), Type.Integer()])), /anyOf/)
  assert.throws(() => toStructuralSchema(Type.String({ format: 'kupe-email' })), /format "kupe-email"/)
})
