import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../../src/config/resolve-apis'
import { splitRuntimeConfig } from '../../../src/config/runtime-config'

const context = { production: true, warn: () => {} }
const base = { baseURL: 'https://cms.example/api' }

function webhookOf(webhook: unknown, api: Record<string, unknown> = {}) {
  return resolveApis({ blog: { ...base, ...api, webhook } }, context)[0]!.webhook
}

describe('webhook options', () => {
  it('is off by default', () => {
    expect(webhookOf(undefined)).toBeUndefined()
    expect(webhookOf(false)).toBeUndefined()
  })

  it('gives true a route under the proxy prefix, the preset\'s scheme, a 1 MiB body limit and a 5 minute replay window', () => {
    expect(webhookOf(true, { preset: 'microcms', auth: 'static', token: 'k' })).toEqual({
      route: '/api/_cms/_webhook/blog',
      scheme: 'microcms',
      header: 'x-webhook-secret',
      maxBodySize: 1048576,
      tolerance: 300,
      secretEnv: 'NUXT_CMS_AUTH_APIS_BLOG_WEBHOOK_SECRET',
    })
  })

  it('follows cmsAuth.proxyPrefix', () => {
    expect(resolveApis({ blog: { ...base, webhook: true } }, { ...context, proxyPrefix: '/cms' })[0]!.webhook!.route).toBe('/cms/_webhook/blog')
  })

  it('takes a shared-secret header for CMSs that do not sign, lower-cased', () => {
    expect(webhookOf({ header: 'X-Directus-Secret' }, { preset: 'directus' })).toMatchObject({ scheme: 'shared-secret', header: 'x-directus-secret' })
  })

  it('takes hygraph by name (no preset speaks its API)', () => {
    expect(webhookOf({ scheme: 'hygraph', tolerance: 60 })).toMatchObject({ scheme: 'hygraph', tolerance: 60 })
  })

  it.each([
    [{ secret: 'abc' }, /webhook\.secret does not belong in nuxt\.config.*NUXT_CMS_AUTH_APIS_BLOG_WEBHOOK_SECRET/],
    [{ scheme: 'stripe' }, /webhook\.scheme "stripe" is unknown; use one of microcms, contentful, storyblok, hygraph, shared-secret/],
    [{ scheme: 'microcms', header: 'x-secret' }, /webhook\.header applies to scheme 'shared-secret' only/],
    [{ header: 'bad header' }, /webhook\.header must be a header name/],
    [{ maxBodySize: 0 }, /webhook\.maxBodySize must be a positive whole number of bytes/],
    [{ tolerance: 'long' }, /webhook\.tolerance must be a positive whole number of seconds/],
    [{ secrets: 'x' }, /webhook\.secrets is not an option/],
    ['yes', /webhook must be true or \{ scheme, header, maxBodySize, tolerance \}/],
  ])('refuses %j', (webhook, message) => {
    expect(() => webhookOf(webhook)).toThrow(message)
  })

  it('pre-seeds the secret, empty, in private runtimeConfig only, for direct and proxy APIs alike', () => {
    const apis = resolveApis({
      direct: { ...base, webhook: true },
      proxied: { ...base, auth: 'static', token: 'k', proxy: { cache: true }, webhook: true },
      plain: { ...base },
    }, context)
    const split = splitRuntimeConfig(apis)
    expect(split.private.apis.direct).toEqual({ webhookSecret: '' })
    expect(split.private.apis.proxied).toMatchObject({ token: 'k', webhookSecret: '' })
    expect(split.private.apis.plain).toBeUndefined()
    expect(JSON.stringify(split.public)).not.toContain('webhook')
  })
})
