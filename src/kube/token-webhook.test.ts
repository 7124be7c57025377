import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parse } from 'yaml'
import { deriveKeys } from '../lib/secrets-crypto.js'
import { isTokenReviewCaller, redactTokenReviewSecrets, tokenReviewSecret, tokenWebhookKubeconfig } from './token-webhook.js'

const keys = deriveKeys(Buffer.alloc(32, 7))
const id = '0f8fad5b-d9cb-469f-a165-70867728950e'

test('each cluster has its own webhook secret, the same every time, and only it passes', () => {
  const secret = tokenReviewSecret(keys, id)
  assert.equal(secret, tokenReviewSecret(keys, id))
  assert.notEqual(secret, tokenReviewSecret(keys, '7c9e6679-7425-40de-944b-e07fc1f90ae7'))
  assert.notEqual(secret, tokenReviewSecret(deriveKeys(Buffer.alloc(32, 8)), id), 'another master key, another secret')
  assert.equal(isTokenReviewCaller(keys, id, secret), true)
  assert.equal(isTokenReviewCaller(keys, id, undefined), false)
  assert.equal(isTokenReviewCaller(keys, id, secret.slice(1)), false)
  assert.equal(isTokenReviewCaller(keys, '7c9e6679-7425-40de-944b-e07fc1f90ae7', secret), false)
})

test('the webhook kubeconfig points the API server at its own URL on the Kupe server, with no credentials', () => {
  const doc = parse(tokenWebhookKubeconfig('http://127.0.0.1:8080/', id, 'abc'))
  assert.equal(doc.clusters[0].cluster.server, `http://127.0.0.1:8080/internal/v1/clusters/${id}/tokenreview/abc`)
  assert.deepEqual(doc.users[0].user, {})
  assert.equal(doc['current-context'], 'webhook')
})

test('an API server log line quoting the webhook URL loses the secret', () => {
  const secret = tokenReviewSecret(keys, id)
  const line = `E1123 webhook.go:154] Failed to make webhook authenticator request: Post "http://127.0.0.1:8080/internal/v1/clusters/${id}/tokenreview/${secret}?timeout=30s": dial tcp: connection refused`
  const clean = redactTokenReviewSecrets(line)
  assert.ok(!clean.includes(secret))
  assert.match(clean, new RegExp(`/clusters/${id}/tokenreview/\\[redacted\\]\\?timeout=30s": dial tcp`))
})
