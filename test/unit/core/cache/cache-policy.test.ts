import { describe, expect, it } from 'vitest'
import { cachePolicyFor } from '../../../../src/runtime/core/cache/cache-policy'

const api = { maxAge: 60, staleWhileRevalidate: 0, maxEntrySize: 1024 }
const short = { maxAge: 5, staleWhileRevalidate: 10, maxEntrySize: 1024 }
const rules = [{ path: '/news/**', cache: short }, { path: '/inquiries' }, { path: '/private/**', cache: false as const }, { path: '/news/archive/**', cache: api }]

describe('the cache setting of a path', () => {
  it.each([
    ['/blogs', api],
    ['/news', short],
    ['/news/archive/2020', short],
    ['/inquiries', api],
    ['/private/x', false],
  ])('%s', (path, expected) => {
    expect(cachePolicyFor(api, rules, path)).toEqual(expected)
  })

  it('lets a rule cache the paths of an API that caches nothing else', () => {
    expect(cachePolicyFor(false, rules, '/news/1')).toEqual(short)
    expect(cachePolicyFor(false, rules, '/blogs')).toBe(false)
  })
})
