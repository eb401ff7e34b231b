import { describe, expect, it } from 'vitest'
import { isCacheableRequest, responseCacheability } from '../../../../src/runtime/core/cache/cacheability'
import { DEFAULT_CACHE_POLICY } from '../../../../src/runtime/core/cache/cache-policy'

const policy = { ...DEFAULT_CACHE_POLICY, maxAge: 60, staleWhileRevalidate: 30 }
const keyed = new Set(['accept', 'accept-language', 'accept-encoding'])
const ok = { 'content-length': '12', 'content-type': 'application/json' }

function verdict(status: number, headers: Record<string, string>) {
  return responseCacheability(status, name => headers[name], policy, keyed)
}

describe('which requests the cache answers', () => {
  it.each([
    ['GET', false, false, true],
    ['HEAD', false, false, true],
    ['POST', false, false, false],
    ['DELETE', false, false, false],
    ['GET', true, false, false],
    ['GET', false, true, false],
  ])('%s, preview %s, range %s → %s', (method, preview, range, cacheable) => {
    expect(isCacheableRequest({ method, preview, range })).toBe(cacheable)
  })
})

describe('which CMS responses are stored', () => {
  it.each([
    ['a plain 200 for the API\'s maxAge and SWR', 200, ok, { store: true, maxAge: 60, staleWhileRevalidate: 30, initialAge: 0 }],
    ['a 204', 204, { 'content-length': '0' }, { store: true, maxAge: 60, staleWhileRevalidate: 30, initialAge: 0 }],
    ['s-maxage over max-age (this is a shared cache)', 200, { ...ok, 'cache-control': 'max-age=5, s-maxage=20' }, { store: true, maxAge: 20, staleWhileRevalidate: 30, initialAge: 0 }],
    ['max-age shorter than the API\'s', 200, { ...ok, 'cache-control': 'public, max-age=10' }, { store: true, maxAge: 10, staleWhileRevalidate: 30, initialAge: 0 }],
    ['never longer than the API\'s maxAge', 200, { ...ok, 'cache-control': 'max-age=3600' }, { store: true, maxAge: 60, staleWhileRevalidate: 30, initialAge: 0 }],
    ['less the Age it already has', 200, { ...ok, 'cache-control': 'max-age=30', 'age': '10' }, { store: true, maxAge: 20, staleWhileRevalidate: 30, initialAge: 10 }],
    ['without stale serving under must-revalidate', 200, { ...ok, 'cache-control': 'max-age=30, must-revalidate' }, { store: true, maxAge: 30, staleWhileRevalidate: 0, initialAge: 0 }],
    ['a 404 the CMS gives a max-age', 404, { ...ok, 'cache-control': 'max-age=15' }, { store: true, maxAge: 15, staleWhileRevalidate: 30, initialAge: 0 }],
    ['a body of unknown length (chunked: held only up to maxEntrySize)', 200, { 'content-type': 'application/json' }, { store: true, maxAge: 60, staleWhileRevalidate: 30, initialAge: 0 }],
    ['with Vary on keyed headers', 200, { ...ok, vary: 'Accept, Accept-Language, Accept-Encoding' }, { store: true, maxAge: 60, staleWhileRevalidate: 30, initialAge: 0 }],
  ])('stores %s', (_, status, headers, expected) => {
    expect(verdict(status, headers)).toEqual(expected)
  })

  it.each([
    ['a 404 without a max-age', 404, ok, 'status 404 without max-age'],
    ['a 500', 500, ok, 'status 500'],
    ['a 401', 401, ok, 'status 401'],
    ['a 301 (it names the CMS host)', 301, ok, 'status 301'],
    ['a 206', 206, ok, 'status 206'],
    ['Set-Cookie', 200, { ...ok, 'set-cookie': 'sid=1' }, 'Set-Cookie'],
    ['no-store', 200, { ...ok, 'cache-control': 'no-store' }, 'Cache-Control: no-store'],
    ['private', 200, { ...ok, 'cache-control': 'private, max-age=60' }, 'Cache-Control: private'],
    ['no-cache', 200, { ...ok, 'cache-control': 'no-cache' }, 'Cache-Control: no-cache'],
    ['upper-case directives', 200, { ...ok, 'cache-control': 'PRIVATE' }, 'Cache-Control: private'],
    ['max-age=0', 200, { ...ok, 'cache-control': 'max-age=0' }, 'already stale'],
    ['an Age past its max-age', 200, { ...ok, 'cache-control': 'max-age=10', 'age': '10' }, 'already stale'],
    ['Vary: *', 200, { ...ok, vary: '*' }, 'Vary: *'],
    ['Vary on a header the key does not hold', 200, { ...ok, vary: 'Accept, Authorization' }, 'Vary: authorization'],
    ['a compressed body', 200, { ...ok, 'content-encoding': 'gzip' }, 'Content-Encoding: gzip'],
    ['a Content-Length that is not a number', 200, { 'content-length': '12, 12' }, 'Content-Length: 12, 12'],
    ['a body over maxEntrySize', 200, { 'content-length': String(policy.maxEntrySize + 1) }, `larger than ${policy.maxEntrySize} bytes`],
  ])('never stores %s', (_, status, headers, reason) => {
    expect(verdict(status, headers)).toEqual({ store: false, reason })
  })

  it('stores a body of exactly maxEntrySize', () => {
    expect(verdict(200, { 'content-length': String(policy.maxEntrySize) }).store).toBe(true)
  })
})
