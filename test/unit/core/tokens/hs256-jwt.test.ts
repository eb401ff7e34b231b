import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hexBytes, signHs256Jwt } from '../../../../src/runtime/core/tokens/hs256-jwt'
import { ghostAdminCredential } from '../../../../src/runtime/core/presets/ghost'
import { basicCredential } from '../../../../src/runtime/core/presets/wordpress'

const id = '6748592f4b9b7700010f6564'
const secret = 'b1b5b9c1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1'
const now = Date.parse('2026-11-01T12:00:00Z')
const part = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8'))

describe('Ghost Admin API token (signed on the server with Web Crypto)', () => {
  it('is an HS256 JWT with the key id as kid, aud /admin/, 5 minutes from iat, signed with the hex-decoded secret', async () => {
    const { value } = await ghostAdminCredential(`${id}:${secret}`, now)
    expect(part(value, 0)).toEqual({ alg: 'HS256', typ: 'JWT', kid: id })
    expect(part(value, 1)).toEqual({ iat: now / 1000, exp: now / 1000 + 300, aud: '/admin/' })
    // The signature Node's own HMAC computes over the same input, with the secret's bytes as the key.
    const [header, payload, signature] = value.split('.')
    expect(signature).toBe(createHmac('sha256', Buffer.from(secret, 'hex')).update(`${header}.${payload}`).digest('base64url'))
  })

  it('is reused for half its lifetime, then signed again', async () => {
    expect((await ghostAdminCredential(`${id}:${secret}`, now)).reuseUntil).toBe(now + 150_000)
  })

  it('refuses a key that is not <id>:<hex secret>, without repeating the key', async () => {
    for (const key of ['not-a-key', `${id}:xyz`, `${id}:abc`, `:${secret}`]) {
      const error = await ghostAdminCredential(key, now).catch((failure: Error) => failure)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain('not a Ghost Admin API key')
      expect((error as Error).message).not.toContain(key)
    }
  })

  it('signs any claims as HS256 and reads hex as bytes', async () => {
    expect(hexBytes('00ff10')).toEqual(new Uint8Array([0, 255, 16]))
    expect(hexBytes('0g')).toBeUndefined()
    const token = await signHs256Jwt({}, { sub: 'ü' }, new TextEncoder().encode('k'))
    expect(part(token, 1)).toEqual({ sub: 'ü' })
  })
})

describe('WordPress Application Password', () => {
  it('becomes HTTP Basic of the UTF-8 "user:password", computed once', async () => {
    const credential = await basicCredential('rédacteur:abcd EFGH 1234')
    expect(Buffer.from(credential.value, 'base64').toString('utf8')).toBe('rédacteur:abcd EFGH 1234')
    expect(credential.reuseUntil).toBe(Number.POSITIVE_INFINITY)
  })
})
