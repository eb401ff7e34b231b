import { describe, expect, it } from 'vitest'
import { retryAfterOf, retryAt } from '../../../../src/runtime/core/tokens/retry-after'

const now = Date.UTC(2026, 11, 1, 12, 0, 0)
const headers = (values: Record<string, string>) => (name: string) => values[name]

describe('retryAfterOf', () => {
  it('passes the CMS\'s own Retry-After on as it is (Directus)', () => {
    expect(retryAfterOf(headers({ 'retry-after': '30', 'x-ratelimit-reset': '999' }), now)).toBe('30')
  })

  it('computes the wait from X-RateLimit-Reset in epoch seconds when there is no Retry-After (Strapi 5)', () => {
    expect(retryAfterOf(headers({ 'x-ratelimit-reset': String(now / 1000 + 42) }), now)).toBe('42')
    expect(retryAfterOf(headers({ 'x-ratelimit-reset': String(now / 1000 + 41.2) }), now)).toBe('42')
  })

  it('reads a small reset as seconds left and one in the epoch-milliseconds range as milliseconds', () => {
    expect(retryAfterOf(headers({ 'x-ratelimit-reset': '12' }), now)).toBe('12')
    expect(retryAfterOf(headers({ 'x-ratelimit-reset': String(now + 5000) }), now)).toBe('5')
  })

  it('never says to wait less than a second, and says nothing without either header', () => {
    expect(retryAfterOf(headers({ 'x-ratelimit-reset': String(now / 1000 - 3) }), now)).toBe('1')
    expect(retryAfterOf(headers({ 'x-ratelimit-reset': 'soon' }), now)).toBeUndefined()
    expect(retryAfterOf(headers({}), now)).toBeUndefined()
  })
})

describe('when a Retry-After lets the caller ask again', () => {
  it('reads seconds and HTTP dates, never a time in the past', () => {
    expect(retryAt('30', now)).toBe(now + 30_000)
    expect(retryAt(new Date(now + 90_000).toUTCString(), now)).toBe(now + 90_000)
    expect(retryAt(new Date(now - 90_000).toUTCString(), now)).toBe(now)
  })

  it('waits the fallback for none or a value that is neither', () => {
    expect(retryAt(undefined, now)).toBe(now + 1000)
    expect(retryAt('soon', now, 5000)).toBe(now + 5000)
  })
})
