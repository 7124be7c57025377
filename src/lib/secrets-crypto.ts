import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { constantTimeEqual } from './constant-time-equal.js'

/**
 * Keys derived from the one master key: HMAC for API keys and credentials, AES-256-GCM for
 * values at rest. Separate subkeys so no key is used for two purposes.
 */
export interface Keys {
  hmac(value: string): string
  hmacEquals(value: string, expectedHex: string): boolean
  encrypt(plaintext: string, aad: string): string
  decrypt(ciphertext: string, aad: string): string
}

export function deriveKeys(masterKey: Buffer): Keys {
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32))
  const hmacKey = sub('kupe/hmac/v1')
  const encKey = sub('kupe/encrypt/v1')
  const hmac = (value: string) => createHmac('sha256', hmacKey).update(value).digest('hex')
  return {
    hmac,
    hmacEquals: (value, expectedHex) => constantTimeEqual(Buffer.from(hmac(value), 'hex'), Buffer.from(expectedHex, 'hex')),
    encrypt(plaintext, aad) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      cipher.setAAD(Buffer.from(aad))
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`
    },
    decrypt(ciphertext, aad) {
      if (!ciphertext.startsWith('v1.')) throw new Error('unknown ciphertext version')
      const raw = Buffer.from(ciphertext.slice(3), 'base64')
      const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12))
      decipher.setAAD(Buffer.from(aad))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}
