import assert from 'node:assert/strict'
import { test } from 'node:test'
import { maskSecrets, restoreSecrets, secretTree, secretValues } from './secret-fields.js'

// Paths in the form kupe-amconfig secret-paths prints them (a few of the real ones).
const PATHS = [
  'global.smtp_auth_password',
  'receivers[].webhook_configs[].url',
  'receivers[].webhook_configs[].http_config.http_headers.*.secrets[]',
  'receivers[].slack_configs[].api_url',
  'tracing.tls_config.key',
]
const receiver = secretTree(PATHS, 'receivers[].')
const global = secretTree(PATHS, 'global.')

const body = {
  webhook_configs: [
    { url: 'https://a.example/t1', http_config: { http_headers: { 'X-Token': { values: ['plain'], secrets: ['s1', 's2'] } } } },
    { url: 'https://b.example/t2', max_alerts: 3 },
  ],
  slack_configs: [{ api_url: 'https://hooks.slack.com/x', channel: '#a' }],
}

test('masks exactly the secret fields, through lists and map keys, and leaves the rest as written', () => {
  assert.deepEqual(maskSecrets(body, receiver), {
    webhook_configs: [
      { url: '<secret>', http_config: { http_headers: { 'X-Token': { values: ['plain'], secrets: ['<secret>', '<secret>'] } } } },
      { url: '<secret>', max_alerts: 3 },
    ],
    slack_configs: [{ api_url: '<secret>', channel: '#a' }],
  })
  assert.deepEqual(maskSecrets({ smtp_auth_password: 'pw', smtp_from: 'a@b' }, global), { smtp_auth_password: '<secret>', smtp_from: 'a@b' })
  assert.deepEqual(maskSecrets({ slack_configs: [{ api_url: '' }] }, receiver), { slack_configs: [{ api_url: '' }] }, 'an empty value is no secret')
})

test('collects the secret values', () => {
  assert.deepEqual(secretValues(body, receiver).sort(), ['https://a.example/t1', 'https://b.example/t2', 'https://hooks.slack.com/x', 's1', 's2'])
})

test('"<secret>" takes the value stored at the same place; anywhere else it is a plain string', () => {
  const sent = {
    webhook_configs: [{ url: '<secret>', http_config: { http_headers: { 'X-Token': { values: ['<secret>'], secrets: ['s9', '<secret>'] } } } }],
    slack_configs: [{ api_url: '<secret>', channel: '<secret>' }],
  }
  assert.deepEqual(restoreSecrets(sent, body, receiver), {
    webhook_configs: [{ url: 'https://a.example/t1', http_config: { http_headers: { 'X-Token': { values: ['<secret>'], secrets: ['s9', 's2'] } } } }],
    slack_configs: [{ api_url: 'https://hooks.slack.com/x', channel: '<secret>' }],
  })
})

test('"<secret>" where nothing is stored is refused with its field', () => {
  assert.throws(() => restoreSecrets({ webhook_configs: [{}, {}, { url: '<secret>' }] }, body, receiver, 'spec.'), (err: Error & { field?: string; status?: number }) => {
    assert.equal(err.status, 400)
    assert.equal(err.field, 'spec.webhook_configs[2].url')
    return true
  })
  assert.throws(() => restoreSecrets({ smtp_auth_password: '<secret>' }, undefined, global))
})
