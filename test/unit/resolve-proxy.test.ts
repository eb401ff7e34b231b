import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../src/config/resolve-apis'
import { resolveProxyPrefix } from '../../src/config/resolve-proxy'
import { splitRuntimeConfig } from '../../src/config/runtime-config'

const context = { production: true, warn: () => {} }
const contact = { preset: 'microcms', auth: 'static', baseURL: 'https://svc.microcms.io/api/v1', token: 'write-key' }

function resolveProxyOf(proxy: unknown, extra: Record<string, unknown> = {}) {
  return resolveApis({ contact: { ...contact, ...extra, proxy } }, context)[0]!.proxy
}

describe('proxy options', () => {
  it('gives proxy: true safe defaults: GET only, same-origin, 1 MiB bodies, 15 s timeout, no rate limit', () => {
    expect(resolveProxyOf(true)).toEqual({
      route: '/api/_cms/contact',
      methods: ['GET'],
      rules: [],
      allowedIPs: [],
      trustedProxies: [],
      rateLimit: false,
      maxBodySize: 1048576,
      sameOrigin: true,
      timeout: 15000,
      forwardHeaders: [],
    })
  })

  it('is false for a direct API', () => {
    expect(resolveProxyOf(undefined)).toBe(false)
    expect(resolveProxyOf(false)).toBe(false)
  })

  it('keeps permissions, addresses and limits, upper-casing methods', () => {
    const proxy = resolveProxyOf({
      methods: ['get'],
      rules: [{ path: '/inquiries', methods: ['POST'] }, { path: '/blogs/*', methods: [] }],
      allowedIPs: ['192.0.2.0/24', '2001:db8::1'],
      trustedProxies: ['10.0.0.1-10.0.0.9'],
      rateLimit: { limit: 10, window: 60 },
      maxBodySize: 2048,
      sameOrigin: false,
      timeout: 500,
      forwardHeaders: ['X-Locale'],
    })
    expect(proxy).toMatchObject({
      methods: ['GET'],
      rules: [{ path: '/inquiries', methods: ['POST'] }, { path: '/blogs/*', methods: [] }],
      allowedIPs: ['192.0.2.0/24', '2001:db8::1'],
      trustedProxies: ['10.0.0.1-10.0.0.9'],
      rateLimit: { limit: 10, window: 60 },
      maxBodySize: 2048,
      sameOrigin: false,
      timeout: 500,
      forwardHeaders: ['x-locale'],
    })
  })

  it('uses the configured prefix for the route', () => {
    const [api] = resolveApis({ contact: { ...contact, proxy: true } }, { ...context, proxyPrefix: resolveProxyPrefix('/cms/') })
    expect(api!.proxy).toMatchObject({ route: '/cms/contact' })
  })

  it.each([
    ['yes', /cmsAuth\.apis\.contact\.proxy must be true, false or an options object/],
    [{ method: ['GET'] }, /cmsAuth\.apis\.contact\.proxy\.method is not a proxy option/],
    [{ methods: 'GET' }, /cmsAuth\.apis\.contact\.proxy\.methods must be an array/],
    [{ methods: ['FETCH'] }, /cmsAuth\.apis\.contact\.proxy\.methods has "FETCH"/],
    [{ rules: [{ path: 'inquiries', methods: ['POST'] }] }, /cmsAuth\.apis\.contact\.proxy\.rules\[0\]\.path must be a path pattern/],
    [{ rules: [{ path: '/a/../b', methods: ['POST'] }] }, /rules\[0\]\.path must be a path pattern/],
    [{ rules: [{ path: '/inquiries', methods: ['SEND'] }] }, /rules\[0\]\.methods has "SEND"/],
    [{ allowedIPs: ['192.0.2.0/33'] }, /cmsAuth\.apis\.contact\.proxy\.allowedIPs has "192\.0\.2\.0\/33", which is not an IP address/],
    [{ allowedIPs: '192.0.2.1' }, /allowedIPs must be an array/],
    [{ trustedProxies: ['proxy.internal'] }, /trustedProxies has "proxy\.internal"/],
    [{ rateLimit: { limit: 10 } }, /cmsAuth\.apis\.contact\.proxy\.rateLimit\.window must be a positive whole number of seconds/],
    [{ rateLimit: 10 }, /rateLimit must be false or \{ limit, window \}/],
    [{ maxBodySize: -1 }, /maxBodySize must be a positive whole number of bytes/],
    [{ timeout: 1.5 }, /timeout must be a positive whole number of milliseconds/],
    [{ sameOrigin: 'yes' }, /sameOrigin must be true or false/],
    [{ forwardHeaders: ['Authorization'] }, /forwardHeaders may not forward Authorization/],
    [{ forwardHeaders: ['cookie'] }, /may not forward cookie/],
    [{ forwardHeaders: ['X-MICROCMS-API-KEY'] }, /may not forward X-MICROCMS-API-KEY/],
    [{ forwardHeaders: ['x-forwarded-for'] }, /may not forward x-forwarded-for/],
    [{ forwardHeaders: ['bad header'] }, /"bad header", which is not a header name/],
  ])('refuses proxy %j with a message naming the key', (proxy, message) => {
    expect(() => resolveProxyOf(proxy)).toThrow(message)
  })

  it.each(['api/_cms', '/api/:name', '/api/**', 42])('refuses the proxy prefix %j', (prefix) => {
    expect(() => resolveProxyPrefix(prefix)).toThrow(/cmsAuth\.proxyPrefix must be a path/)
  })

  it('names the private env variable when a proxy API has no token', () => {
    expect(() => resolveApis({ contact: { ...contact, token: undefined, proxy: true } }, context)).toThrow(/NUXT_CMS_AUTH_APIS_CONTACT_TOKEN/)
  })
})

describe('runtime config of a proxy API', () => {
  const config = splitRuntimeConfig(resolveApis({ contact: { ...contact, proxy: true, headers: { 'X-Extra': '1' } } }, context))

  it('gives the browser only the proxy route and nothing to attach', () => {
    expect(config.public.apis.contact).toEqual({ baseURL: '/api/_cms/contact', auth: 'none', credential: { header: 'X-MICROCMS-API-KEY' }, proxy: true })
    expect(JSON.stringify(config.public)).not.toContain('write-key')
    expect(JSON.stringify(config.public)).not.toContain('svc.microcms.io')
  })

  it('keeps the token and the CMS URL private, pre-seeded for NUXT_CMS_AUTH_APIS_CONTACT_*', () => {
    expect(config.private.apis.contact).toEqual({ baseURL: 'https://svc.microcms.io/api/v1', token: 'write-key' })
  })
})
