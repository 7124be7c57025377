import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { loadConfig } from './config.js'

describe('OpenID Connect settings (decision 0027)', () => {
  test('unset means API keys only; the audience defaults to the client id', () => {
    assert.equal(loadConfig({}, {}).oidc, undefined)
    assert.deepEqual(loadConfig({}, { KUPE_OIDC_ISSUER: 'https://id.example.com', KUPE_OIDC_CLIENT_ID: 'kupe' }).oidc,
      { issuer: 'https://id.example.com', clientId: 'kupe', audience: 'kupe' })
    assert.equal(loadConfig({}, { KUPE_OIDC_ISSUER: 'https://id.example.com', KUPE_OIDC_CLIENT_ID: 'kupe', KUPE_OIDC_AUDIENCE: 'api' }).oidc?.audience, 'api')
  })

  test('the issuer is https (http only on loopback) and needs a client id', () => {
    assert.throws(() => loadConfig({}, { KUPE_OIDC_ISSUER: 'http://id.example.com', KUPE_OIDC_CLIENT_ID: 'kupe' }), /must be https/)
    assert.equal(loadConfig({}, { KUPE_OIDC_ISSUER: 'http://127.0.0.1:5556', KUPE_OIDC_CLIENT_ID: 'kupe' }).oidc?.issuer, 'http://127.0.0.1:5556')
    assert.throws(() => loadConfig({}, { KUPE_OIDC_ISSUER: 'https://id.example.com' }), /KUPE_OIDC_CLIENT_ID is required/)
  })
})
