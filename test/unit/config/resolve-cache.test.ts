import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../../src/config/resolve-apis'

const context = { production: true, warn: () => {} }
const blog = { preset: 'microcms', auth: 'static', baseURL: 'https://svc.microcms.io/api/v1', token: 'read-key' }
const defaults = { maxAge: 60, staleWhileRevalidate: 0, maxEntrySize: 1048576 }

function proxyOf(proxy: unknown, extra: Record<string, unknown> = {}) {
  const resolved = resolveApis({ blog: { ...blog, ...extra, proxy } }, context)[0]!.proxy
  return resolved && { cache: resolved.cache, cacheRules: resolved.cacheRules }
}

describe('proxy.cache', () => {
  it.each([
    ['off by default', true, { cache: false, cacheRules: [] }],
    ['true: 60 s, no stale serving, 1 MiB entries', { cache: true }, { cache: defaults, cacheRules: [] }],
    ['its options', { cache: { maxAge: 300, staleWhileRevalidate: 600, maxEntrySize: 2048 } }, { cache: { maxAge: 300, staleWhileRevalidate: 600, maxEntrySize: 2048 }, cacheRules: [] }],
    ['staleWhileRevalidate: 0', { cache: { staleWhileRevalidate: 0 } }, { cache: defaults, cacheRules: [] }],
    ['a rule\'s own, the other rules listed for first-match', { cache: true, rules: [{ path: '/news/**', methods: ['GET'], cache: { maxAge: 5 } }, { path: '/inquiries', methods: ['POST'] }, { path: '/drafts/**', methods: ['GET'], cache: false }] }, {
      cache: defaults,
      cacheRules: [{ path: '/news/**', cache: { ...defaults, maxAge: 5 } }, { path: '/inquiries' }, { path: '/drafts/**', cache: false }],
    }],
  ])('%s', (_, proxy, expected) => {
    expect(proxyOf(proxy)).toEqual(expected)
  })

  it('is allowed on auth: \'none\'', () => {
    expect(proxyOf({ cache: true }, { preset: 'generic', auth: 'none', token: undefined })).toMatchObject({ cache: defaults })
  })

  it.each([
    ['dynamic', { preset: 'kuroco', auth: 'dynamic', token: undefined }],
    ['cookie', { preset: 'kuroco', auth: 'cookie', token: undefined }],
  ])('is a build error on auth: \'%s\', naming the option', (_, extra) => {
    expect(() => proxyOf({ cache: true }, extra)).toThrow(/cmsAuth\.apis\.blog\.proxy\.cache cannot be set on an API whose credential is per-user/)
    expect(() => proxyOf({ rules: [{ path: '/x', methods: ['GET'], cache: { maxAge: 5 } }] }, extra)).toThrow(/cmsAuth\.apis\.blog\.proxy\.rules\[0\]\.cache cannot be set/)
  })

  it.each([
    [{ cache: 'yes' }, /cmsAuth\.apis\.blog\.proxy\.cache must be true, false or \{ maxAge/],
    [{ cache: { maxAge: 0 } }, /proxy\.cache\.maxAge must be a positive whole number of seconds/],
    [{ cache: { staleWhileRevalidate: -1 } }, /proxy\.cache\.staleWhileRevalidate must be a positive whole number of seconds \(or 0\)/],
    [{ cache: { maxEntrySize: 1.5 } }, /proxy\.cache\.maxEntrySize must be a positive whole number of bytes/],
    [{ cache: { maxage: 5 } }, /proxy\.cache\.maxage is not an option; did you mean maxAge\?/],
    [{ rules: [{ path: '/x', methods: ['GET'], cache: 'short' }] }, /proxy\.rules\[0\]\.cache must be true, false or/],
  ])('refuses %j', (proxy, message) => {
    expect(() => proxyOf(proxy)).toThrow(message)
  })
})
