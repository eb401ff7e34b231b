import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../../src/config/resolve-apis'
import { splitRuntimeConfig } from '../../../src/config/runtime-config'

const context = { production: true, warn: () => {} }
const resolve = (options: Record<string, unknown>) => resolveApis({ blog: options }, context)[0]!
const storyblok = { preset: 'storyblok', auth: 'static', baseURL: 'https://api.storyblok.com/v2/cdn', token: 'public' }

describe('cmsAuth.apis.<name>.preview', () => {
  it('gives a direct API a route for preview requests only, with the defaults', () => {
    expect(resolve({ ...storyblok, preview: true }).preview).toMatchObject({
      route: { route: '/api/_cms/blog', methods: ['GET'], sameOrigin: true },
      query: {},
      headers: {},
      baseURL: '',
      maxAge: 3600,
    })
  })

  it('uses a proxy API\'s own route', () => {
    expect(resolve({ ...storyblok, proxy: true, preview: { maxAge: 600, query: { cv: '1' } } }).preview).toEqual({ query: { cv: '1' }, headers: {}, baseURL: '', maxAge: 600 })
  })

  it.each([
    [{ ...storyblok, preview: { tokn: 'x' } }, 'cmsAuth.apis.blog.preview.tokn is not an option'],
    [{ ...storyblok, preview: { token: 'x' } }, 'set NUXT_CMS_AUTH_APIS_BLOG_PREVIEW_TOKEN on the server'],
    [{ ...storyblok, preview: { secret: 'x' } }, 'set NUXT_CMS_AUTH_APIS_BLOG_PREVIEW_SECRET'],
    [{ ...storyblok, preview: 'yes' }, 'must be true or an options object'],
    [{ ...storyblok, preview: { maxAge: 0 } }, 'preview.maxAge must be a positive whole number of seconds'],
    [{ ...storyblok, preview: { query: { version: 1 } } }, 'preview.query must be an object of parameter names to string values'],
    [{ ...storyblok, preview: { headers: { 'bad header': 'x' } } }, 'preview.headers["bad header"] must be a valid header name'],
    [{ ...storyblok, preview: { baseURL: 'ftp://x' } }, 'preview.baseURL must be an absolute http(s) URL'],
    [{ ...storyblok, storyblok: { api: 'management' }, proxy: true, preview: true }, 'the Management API has no published/draft split'],
    [{ preset: 'ghost', auth: 'static', baseURL: 'https://g.example/ghost/api/content', token: 't', preview: true }, 'the ghost preset has no preview protocol'],
    [{ preset: 'directus', auth: 'dynamic', baseURL: 'https://d.example', preview: true }, 'not available with auth \'dynamic\''],
    [{ preset: 'kuroco', auth: 'cookie', baseURL: 'https://k.example', proxy: true, preview: true }, 'not available with auth \'cookie\''],
    [{ preset: 'contentful', auth: 'static', baseURL: 'https://contentful.internal/cdn', token: 't', preview: true }, 'preview.baseURL is needed'],
  ])('refuses %j', (options, message) => {
    expect(() => resolve(options)).toThrow(message)
  })

  it('derives Contentful\'s preview host, or takes preview.baseURL', () => {
    expect(resolve({ preset: 'contentful', auth: 'static', baseURL: 'https://cdn.contentful.com/spaces/s', token: 't', preview: true }).preview?.baseURL).toBe('')
    expect(resolve({ preset: 'contentful', auth: 'static', baseURL: 'http://127.0.0.1:9/contentful/cdn', token: 't', preview: { baseURL: 'http://127.0.0.1:9/contentful/preview/' } }).preview?.baseURL).toBe('http://127.0.0.1:9/contentful/preview')
  })
})

describe('preview in runtimeConfig', () => {
  it('seeds the token, secret and drafts\' host as private values; the page learns only the route', () => {
    const apis = resolveApis({ blog: { ...storyblok, preview: true }, shop: { ...storyblok, proxy: true, preview: true }, plain: storyblok }, context)
    const split = splitRuntimeConfig(apis)
    expect(split.public.previewRoute).toBe('/api/_cms/_preview')
    expect(split.public.apis.blog).toMatchObject({ mode: 'direct', baseURL: storyblok.baseURL, preview: '/api/_cms/blog' })
    expect(split.public.apis.shop).toMatchObject({ mode: 'proxy', baseURL: '/api/_cms/shop', preview: '/api/_cms/shop' })
    expect(split.public.apis.plain!.preview).toBeUndefined()
    // The preview-only route's checks, pre-seeded as a proxy API's are (NUXT_CMS_AUTH_APIS_BLOG_PROXY_*).
    expect(split.private.apis.blog).toEqual({ proxy: { methods: ['GET'], rules: [], allowedIps: [], trustedProxies: [], rateLimit: false, clientAddressHeader: '' }, preview: { token: '', secret: '', baseURL: '' } })
    expect(Object.keys(split.private.apis.blog!.proxy!)).toEqual(Object.keys(split.private.apis.shop!.proxy!))
    expect(split.private.apis.shop!.preview).toEqual({ token: '', secret: '', baseURL: '' })
    expect(split.private.sessionPassword).toBe('')
    expect(JSON.stringify(split.public)).not.toContain('secret')
  })

  it('adds nothing for apps without preview', () => {
    const split = splitRuntimeConfig(resolveApis({ plain: storyblok }, context))
    expect(split.public.previewRoute).toBeUndefined()
    expect(split.private.sessionPassword).toBeUndefined()
  })
})
