import { describe, expect, it } from 'vitest'
import { REDACTED, redactError, redactSecrets, secretSpellings } from '../../../../src/runtime/core/proxy/redact-secrets'

const text = (bytes: Uint8Array | undefined) => bytes && new TextDecoder().decode(bytes)
const bytes = (value: string) => new TextEncoder().encode(value)
const secret = 'k3y/with+odd&"chars"=='

describe('redactSecrets', () => {
  it.each([
    ['as is', `key: ${secret}`],
    ['%-encoded', `GET /items?api_key=${encodeURIComponent(secret)}`],
    ['form-encoded', `GET /items?${new URLSearchParams({ api_key: secret })}`],
    ['JSON-escaped', JSON.stringify({ url: `/items?api_key=${secret}` })],
    ['HTML-escaped by number', `<p>${secret.replace(/&/g, '&#38;').replace(/"/g, '&#34;')}</p>`],
    ['HTML-escaped by name', `<p>${secret.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}</p>`],
  ])('removes the secret spelled %s', (_, body) => {
    const cleaned = text(redactSecrets(bytes(body), secretSpellings([secret])))
    expect(cleaned).toContain(REDACTED)
    for (const spelling of secretSpellings([secret]))
      expect(cleaned).not.toContain(spelling)
  })

  it('leaves a body without the secret as it came (undefined: send the original bytes)', () => {
    expect(redactSecrets(bytes('{"message":"Not found"}'), secretSpellings([secret]))).toBeUndefined()
  })

  it('keeps the rest of the body byte for byte, non-ASCII text included', () => {
    const cleaned = text(redactSecrets(bytes(`ünïcode ${secret} 終わり`), secretSpellings([secret])))
    expect(cleaned).toBe(`ünïcode ${REDACTED} 終わり`)
  })

  it('finds the secret in a body that is not UTF-8 and keeps the other bytes', () => {
    const body = new Uint8Array([0xFF, 0xFE, ...bytes(secret), 0x80])
    const cleaned = redactSecrets(body, secretSpellings([secret]))!
    expect([...cleaned.subarray(0, 2)]).toEqual([0xFF, 0xFE])
    expect(cleaned.at(-1)).toBe(0x80)
    expect(new TextDecoder('latin1').decode(cleaned.subarray(2, -1))).toBe(REDACTED)
  })

  it('ignores values too short to be secrets, which would redact ordinary words', () => {
    expect(secretSpellings(['abc', ''])).toEqual([])
    expect(secretSpellings(['a-real-secret-1'])).toContain('a-real-secret-1')
  })

  it('replaces a longer spelling whole before a shorter one it contains', () => {
    const spelled = secretSpellings([secret])
    expect(spelled.map(spelling => spelling.length)).toEqual([...spelled].map(spelling => spelling.length).sort((a, b) => b - a))
  })
})

describe('redactError', () => {
  it('cleans what an app route might pass on and keeps status and body', () => {
    const url = `https://cms.example/items?api_key=${encodeURIComponent(secret)}`
    const error = new Error(`[GET] "${url}": 404 Not Found`)
    error.name = 'FetchError'
    // As ofetch defines them: getters that cannot be overwritten.
    for (const [key, value] of Object.entries({ statusCode: 404, request: url, data: { echoed: url }, response: { url } }))
      Object.defineProperty(error, key, { get: () => value })
    const cleaned = redactError(error, secretSpellings([secret])) as Error & Record<string, unknown>
    expect(cleaned.name).toBe('FetchError')
    expect(cleaned.statusCode).toBe(404)
    expect(cleaned.message).toBe(`[GET] "https://cms.example/items?api_key=${REDACTED}": 404 Not Found`)
    expect(cleaned.data).toEqual({ echoed: `https://cms.example/items?api_key=${REDACTED}` })
    expect(cleaned.stack).not.toContain(encodeURIComponent(secret))
    expect(cleaned).not.toHaveProperty('request')
    expect(cleaned).not.toHaveProperty('response')
  })

  it('passes anything that is not an Error through, and every error when there is no secret', () => {
    const error = new Error('x')
    expect(redactError('text', secretSpellings([secret]))).toBe('text')
    expect(redactError(undefined, secretSpellings([secret]))).toBeUndefined()
    expect(redactError(error, [])).toBe(error)
  })
})
