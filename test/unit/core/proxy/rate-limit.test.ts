import { describe, expect, it } from 'vitest'
import { currentWindow, rateLimitClient, rateLimitVerdict } from '../../../../src/runtime/core/proxy/rate-limit'

describe('currentWindow', () => {
  const limit = { limit: 3, window: 60 }

  it('puts every instance\'s requests of the same minute on one counter', () => {
    expect(currentWindow(limit, 'news:192.0.2.1', 120_000).key).toBe(currentWindow(limit, 'news:192.0.2.1', 179_999).key)
    expect(currentWindow(limit, 'news:192.0.2.1', 180_000).key).not.toBe(currentWindow(limit, 'news:192.0.2.1', 179_999).key)
  })

  it('counts down to the end of the window in whole seconds, never 0', () => {
    expect(currentWindow(limit, 's', 120_000).resetIn).toBe(60)
    expect(currentWindow(limit, 's', 150_500).resetIn).toBe(30)
    expect(currentWindow(limit, 's', 179_999).resetIn).toBe(1)
  })
})

describe('rateLimitVerdict', () => {
  const limit = { limit: 3, window: 60 }

  it('allows up to the limit and reports what is left', () => {
    expect(rateLimitVerdict(limit, 1, 42)).toEqual({ allowed: true, headers: { 'RateLimit-Limit': '3', 'RateLimit-Remaining': '2', 'RateLimit-Reset': '42' } })
    expect(rateLimitVerdict(limit, 3, 42).allowed).toBe(true)
  })

  it('refuses past the limit with Retry-After and never a negative remainder', () => {
    expect(rateLimitVerdict(limit, 4, 42)).toEqual({ allowed: false, headers: { 'RateLimit-Limit': '3', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '42', 'Retry-After': '42' } })
  })
})

describe('rateLimitClient', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::9', '2001:db8:1:2::/64'],
    [undefined, 'unknown'],
    ['garbage', 'unknown'],
  ])('counts %s as %s', (address, client) => {
    expect(rateLimitClient(address)).toBe(client)
  })
})
