import { describe, expect, it } from 'vitest'
import { decodeTokenCookie, encodeTokenCookie, readCookie, serializeTokenCookie } from '../../../../src/runtime/core/tokens/token-cookie'

const options = { name: 'cms_auth_member', path: '/', sameSite: 'lax' as const }
const now = Date.parse('2026-11-01T12:00:00Z')
const tokens = { accessToken: 'a.b.c', expiresAt: now + 60_000, refreshToken: 'r;=,"x', refreshExpiresAt: now + 3_600_000 }

describe('the token cookie', () => {
  it('round-trips tokens through Set-Cookie and a Cookie header, whatever characters they hold', () => {
    const header = serializeTokenCookie(options, tokens, { secure: false, now })
    expect(header).toBe(`cms_auth_member=${encodeTokenCookie(tokens)}; Path=/; Max-Age=3600; SameSite=Lax`)
    const cookieHeader = `other=1; ${header.split(';')[0]}; last=2`
    expect(decodeTokenCookie(readCookie(cookieHeader, 'cms_auth_member'))).toEqual(tokens)
  })

  it('is Secure on https, with domain and a fixed maxAge when configured', () => {
    const header = serializeTokenCookie({ ...options, domain: 'example.com', maxAge: 600, sameSite: 'strict' }, tokens, { secure: true, now })
    expect(header).toMatch(/; Domain=example\.com; Max-Age=600; SameSite=Strict; Secure$/)
  })

  it('is a session cookie when the refresh token\'s lifetime is unknown, and deleted on logout', () => {
    expect(serializeTokenCookie(options, { accessToken: 'a' }, { secure: false, now })).not.toContain('Max-Age')
    expect(serializeTokenCookie(options, null, { secure: false, now })).toBe('cms_auth_member=; Path=/; Max-Age=0; SameSite=Lax')
  })

  it('refuses a cookie browsers would drop (over 4 KB) with an error that says what to do', () => {
    expect(() => serializeTokenCookie(options, { accessToken: 'x'.repeat(4100) }, { secure: false, now }))
      .toThrow(/"cms_auth_member" would be \d+ bytes, more than browsers keep \(4096\); set dynamic.storage: 'memory'/)
  })

  it('reads a damaged or foreign cookie as logged out', () => {
    for (const value of [undefined, '', '%E0%A4%A', 'not-json', encodeURIComponent('{"refreshToken":"r"}')])
      expect(decodeTokenCookie(value)).toBeNull()
  })
})
