import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../../src/config/resolve-apis'
import { addressWarnings, storageWarnings } from '../../../src/config/register-proxy'
import { resolveProxyPrefix } from '../../../src/config/resolve-proxy'
import { splitRuntimeConfig } from '../../../src/config/runtime-config'
import { resolveRuntimeChecks } from '../../../src/runtime/core/proxy/proxy-checks'

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
      clientAddressHeader: '',
      rateLimit: false,
      maxBodySize: 1048576,
      sameOrigin: true,
      timeout: 15000,
      forwardHeaders: [],
      responseHeaders: [],
      cache: false,
      cacheRules: [],
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
      clientAddressHeader: 'CF-Connecting-IP',
      responseHeaders: ['X-Request-Id', 'x-total-count'],
    })
    expect(proxy).toMatchObject({
      clientAddressHeader: 'cf-connecting-ip',
      responseHeaders: ['x-request-id', 'x-total-count'],
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

  it('counts by address unless told, and by session for an API whose session the server holds', () => {
    expect(resolveProxyOf({ rateLimit: { limit: 5, window: 60 } })).toMatchObject({ rateLimit: { limit: 5, window: 60, by: 'address' } })
    const member = { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://x.g.kuroco.app/rcms-api/3' }
    expect(resolveApis({ member: { ...member, proxy: { rateLimit: { limit: 5, window: 60, by: 'session' } } } }, context)[0]!.proxy).toMatchObject({ rateLimit: { by: 'session' } })
  })

  it('uses the configured prefix for the route', () => {
    const [api] = resolveApis({ contact: { ...contact, proxy: true } }, { ...context, proxyPrefix: resolveProxyPrefix('/cms/') })
    expect(api!.proxy).toMatchObject({ route: '/cms/contact' })
  })

  it.each([
    ['yes', /cmsAuth\.apis\.contact\.proxy must be true, false or an options object/],
    [{ method: ['GET'] }, /cmsAuth\.apis\.contact\.proxy\.method is not an option \(options: methods,/],
    [{ methods: 'GET' }, /cmsAuth\.apis\.contact\.proxy\.methods must be an array/],
    [{ methods: ['FETCH'] }, /cmsAuth\.apis\.contact\.proxy\.methods has "FETCH"/],
    [{ rules: [{ path: 'inquiries', methods: ['POST'] }] }, /cmsAuth\.apis\.contact\.proxy\.rules\[0\]\.path must be a path pattern/],
    [{ rules: [{ path: '/a/../b', methods: ['POST'] }] }, /rules\[0\]\.path must be a path pattern/],
    [{ rules: [{ path: '/inquiries', methods: ['SEND'] }] }, /rules\[0\]\.methods has "SEND"/],
    [{ allowedIPs: ['192.0.2.0/33'] }, /cmsAuth\.apis\.contact\.proxy\.allowedIPs has "192\.0\.2\.0\/33", which is not an IP address/],
    [{ allowedIPs: '192.0.2.1' }, /allowedIPs must be an array/],
    [{ trustedProxies: ['proxy.internal'] }, /trustedProxies has "proxy\.internal"/],
    [{ rateLimit: { limit: 10 } }, /cmsAuth\.apis\.contact\.proxy\.rateLimit\.window must be a positive whole number of seconds/],
    [{ rateLimit: 10 }, /rateLimit must be false or \{ limit, window, by\? \}/],
    [{ maxBodySize: -1 }, /maxBodySize must be a positive whole number of bytes/],
    [{ timeout: 1.5 }, /timeout must be a positive whole number of milliseconds/],
    [{ sameOrigin: 'yes' }, /sameOrigin must be true or false/],
    [{ forwardHeaders: ['Authorization'] }, /forwardHeaders may not forward Authorization/],
    [{ forwardHeaders: ['cookie'] }, /may not forward cookie/],
    [{ forwardHeaders: ['X-MICROCMS-API-KEY'] }, /may not forward X-MICROCMS-API-KEY/],
    [{ forwardHeaders: ['x-forwarded-for'] }, /may not forward x-forwarded-for/],
    [{ forwardHeaders: ['bad header'] }, /"bad header", which is not a header name/],
    [{ rateLimit: { limit: 1, window: 1, per: 'ip' } }, /rateLimit\.per is not an option \(options: limit, window, by\)/],
    [{ rateLimit: { limit: 1, window: 1, by: 'user' } }, /rateLimit\.by must be 'address' or 'session'/],
    [{ rateLimit: { limit: 1, window: 1, by: 'session' } }, /rateLimit\.by 'session' needs a session the server holds/],
    [{ clientAddressHeader: 'x real ip' }, /clientAddressHeader must be the name of a header your host sets/],
    [{ clientAddressHeader: ['cf-connecting-ip'] }, /clientAddressHeader must be the name of a header/],
    [{ responseHeaders: 'x-request-id' }, /responseHeaders must be an array of header names/],
    [{ responseHeaders: ['Set-Cookie'] }, /responseHeaders may not pass Set-Cookie to the browser/],
    [{ responseHeaders: ['authorization'] }, /may not pass authorization/],
    [{ responseHeaders: ['X-MICROCMS-API-KEY'] }, /may not pass X-MICROCMS-API-KEY/],
    [{ responseHeaders: ['www-authenticate'] }, /may not pass www-authenticate/],
    [{ responseHeaders: ['location'] }, /may not pass location/],
    [{ responseHeaders: ['transfer-encoding'] }, /may not pass transfer-encoding/],
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
    expect(config.public.apis.contact).toEqual({ mode: 'proxy', baseURL: '/api/_cms/contact', auth: 'none', credential: { header: 'X-MICROCMS-API-KEY' } })
    expect(JSON.stringify(config.public)).not.toContain('write-key')
    expect(JSON.stringify(config.public)).not.toContain('svc.microcms.io')
  })

  it('keeps the token and the CMS URL private, pre-seeded for NUXT_CMS_AUTH_APIS_CONTACT_*', () => {
    expect(config.private.apis.contact).toEqual({
      baseURL: 'https://svc.microcms.io/api/v1',
      token: 'write-key',
      // Pre-seeded under keys whose env names read well: NUXT_CMS_AUTH_APIS_CONTACT_PROXY_ALLOWED_IPS.
      proxy: { methods: ['GET'], rules: [], allowedIps: [], trustedProxies: [], rateLimit: false, clientAddressHeader: '' },
    })
  })
})

describe('proxy checks given at runtime (env variables, checked when the server starts)', () => {
  const source = { label: (option: string) => `cmsAuth.apis.contact.proxy.${option} (NUXT_X)`, fromEnv: true }

  it('reads lists written as comma-separated values, and JSON as Nitro parses it', () => {
    expect(resolveRuntimeChecks({ methods: 'get, POST', allowedIPs: '192.0.2.0/24,2001:db8::1', trustedProxies: ['10.0.0.1'], rateLimit: { limit: 5, window: 60 }, clientAddressHeader: 'X-Real-IP' }, source)).toEqual({
      methods: ['GET', 'POST'],
      rules: [],
      allowedIPs: ['192.0.2.0/24', '2001:db8::1'],
      trustedProxies: ['10.0.0.1'],
      rateLimit: { limit: 5, window: 60, by: 'address' },
      clientAddressHeader: 'x-real-ip',
    })
  })

  it('turns a limit off with false and an empty list with an empty value', () => {
    expect(resolveRuntimeChecks({ allowedIPs: '', rateLimit: false, rules: '' }, source)).toMatchObject({ allowedIPs: [], rateLimit: false, rules: [] })
  })

  it.each([
    [{ allowedIPs: '192.0.2.0/33' }, /cmsAuth\.apis\.contact\.proxy\.allowedIPs \(NUXT_X\) has "192\.0\.2\.0\/33", which is not an IP address/],
    [{ rateLimit: 'lots' }, /rateLimit \(NUXT_X\) must be false or \{ limit, window, by\? \}/],
    [{ rateLimit: { limit: 0, window: 60 } }, /rateLimit \(NUXT_X\)\.limit must be a positive whole number/],
    [{ methods: 'GET,FETCH' }, /methods \(NUXT_X\) has "FETCH"/],
    [{ rules: '/inquiries' }, /rules \(NUXT_X\) must be an array of \{ path, methods \}/],
    [{ clientAddressHeader: 42 }, /clientAddressHeader \(NUXT_X\) must be the name of a header/],
  ])('refuses %j with the option and its variable named', (options, message) => {
    expect(() => resolveRuntimeChecks(options, source)).toThrow(message)
  })

  it('does not split strings given in nuxt.config (they must be arrays there)', () => {
    expect(() => resolveRuntimeChecks({ allowedIPs: '192.0.2.1' }, { label: option => option })).toThrow(/allowedIPs must be an array/)
  })
})

describe('build-time warning for hosts that give no client address', () => {
  const apis = resolveApis({
    listed: { ...contact, proxy: { allowedIPs: ['192.0.2.0/24'] } },
    limited: { ...contact, proxy: { rateLimit: { limit: 5, window: 60 } } },
    named: { ...contact, proxy: { allowedIPs: ['192.0.2.0/24'], clientAddressHeader: 'cf-connecting-ip' } },
    open: { ...contact, proxy: true },
  }, context)

  it.each(['bun', 'deno-server', 'netlify', 'netlify-edge', 'vercel', 'vercel-edge', 'cloudflare-module', 'aws-lambda'])('warns on %s for each API that needs an address and names none', (preset) => {
    const warnings = addressWarnings(apis, preset)
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain(`cmsAuth.apis.listed.proxy.allowedIPs needs the visitor's address, which the ${preset} preset does not give`)
    expect(warnings[0]).toContain('NUXT_CMS_AUTH_APIS_LISTED_PROXY_CLIENT_ADDRESS_HEADER')
    expect(warnings[1]).toContain('cmsAuth.apis.limited.proxy.rateLimit needs')
  })

  it.each(['node-server', 'node-cluster', 'nitro-dev', ''])('says nothing on %j, which has a socket', (preset) => {
    expect(addressWarnings(apis, preset)).toEqual([])
  })
})

describe('build-time warning for hosts that run several instances with state in memory', () => {
  const member = { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://x.g.kuroco.app/rcms-api/3', proxy: true }
  const apis = resolveApis({ limited: { ...contact, proxy: { rateLimit: { limit: 5, window: 60 } } }, member, open: { ...contact, proxy: true } }, context)

  it.each(['vercel', 'netlify', 'cloudflare-module', 'aws-lambda', 'node-cluster'])('warns on %s, naming what keeps state', (preset) => {
    const [warning] = storageWarnings(apis, preset, 'cms-auth', false)
    expect(warning).toContain('cmsAuth.apis.limited.proxy.rateLimit, cmsAuth.apis.member (a server-held session) keep state in the Nitro storage mount \'cms-auth\', which is in memory')
    expect(warning).toContain(`the ${preset} preset runs several instances`)
  })

  it('names a response cache too: a webhook would purge one instance\'s only', () => {
    const cached = resolveApis({ content: { ...contact, proxy: { cache: true } } }, context)
    expect(storageWarnings(cached, 'vercel', 'cms-auth', false)[0]).toContain('cmsAuth.apis.content.proxy.cache keeps state')
    expect(storageWarnings(cached, 'vercel', 'cms-auth', false)[0]).toContain('a webhook that purges one instance\'s cache only')
  })

  it('says nothing with a mounted driver, on a single-instance host, or when nothing keeps state', () => {
    expect(storageWarnings(apis, 'vercel', 'cms-auth', true)).toEqual([])
    expect(storageWarnings(apis, 'node-server', 'cms-auth', false)).toEqual([])
    expect(storageWarnings(apis, 'bun', 'cms-auth', false)).toEqual([])
    expect(storageWarnings(resolveApis({ open: { ...contact, proxy: true } }, context), 'vercel', 'cms-auth', false)).toEqual([])
  })
})
