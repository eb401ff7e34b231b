import { describe, expect, it, vi } from 'vitest'
import { resolveApis } from '../../src/config/resolve-apis'
import type { ResolveContext } from '../../src/config/resolve-apis'

function context(production = false): ResolveContext & { warnings: string[] } {
  const warnings: string[] = []
  return { production, warn: vi.fn((message: string) => warnings.push(message)), warnings }
}

const kuroco = { preset: 'kuroco', auth: 'static', baseURL: 'https://site.g.kuroco.app/rcms-api/1/', token: 't' }

describe('resolveApis', () => {
  it('applies defaults: generic preset, auth none, no proxy, trailing slash removed', () => {
    const [api] = resolveApis({ open: { baseURL: 'https://cms.example/api/' } }, context())
    expect(api).toEqual({
      name: 'open',
      preset: 'generic',
      baseURL: 'https://cms.example/api',
      auth: 'none',
      proxy: false,
      token: '',
      tokenFromEnv: false,
      credential: { header: 'Authorization', prefix: 'Bearer ' },
      headers: {},
    })
  })

  it('takes the credential placement from the preset unless overridden', () => {
    const [preset, classic, query] = resolveApis({
      news: kuroco,
      classic: { preset: 'cockpit', auth: 'static', baseURL: '/cms', token: 't', credential: { header: 'Cockpit-Token' } },
      query: { preset: 'cockpit', auth: 'static', baseURL: '/cms', token: 't', credential: { query: 'api_key' } },
    }, context())
    expect(preset!.credential).toEqual({ header: 'X-RCMS-API-ACCESS-TOKEN' })
    expect(classic!.credential).toEqual({ header: 'Cockpit-Token', prefix: '' })
    expect(query!.credential).toEqual({ query: 'api_key' })
  })

  it.each([
    [{ 'my-api': kuroco }, /"my-api" is not a valid API name/],
    [{ '1api': kuroco }, /"1api" is not a valid API name/],
    [{ news: { ...kuroco, preset: 'wordpress' } }, /cmsAuth\.apis\.news\.preset "wordpress" is unknown; use one of kuroco, microcms/],
    [{ news: { ...kuroco, auth: 'oauth' } }, /cmsAuth\.apis\.news\.auth "oauth" is unknown/],
    [{ news: { ...kuroco, baseURL: undefined } }, /cmsAuth\.apis\.news\.baseURL is missing \(.*NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_BASE_URL/],
    [{ news: { ...kuroco, baseURL: 'ftp://x' } }, /baseURL must be an absolute http\(s\) URL/],
    [{ news: { ...kuroco, baseURL: '//evil.example' } }, /baseURL must be an absolute http\(s\) URL/],
    [{ news: { ...kuroco, baseUrl: 'x' } }, /cmsAuth\.apis\.news\.baseUrl is not an option; did you mean baseURL\?/],
    [{ news: { ...kuroco, auth: 'none' } }, /cmsAuth\.apis\.news\.token is set but cmsAuth\.apis\.news\.auth is "none"/],
    [{ blog: { preset: 'microcms', baseURL: '/x', auth: 'dynamic' } }, /auth "dynamic" is not something microcms offers/],
    [{ news: { ...kuroco, credential: { header: 'X', query: 'y' } } }, /credential must be either/],
    [{ news: { ...kuroco, credential: { header: 'Bad Header' } } }, /credential\.header "Bad Header" is not a valid header name/],
    [{ news: { ...kuroco, headers: { 'X-Ok': 1 } } }, /headers\["X-Ok"\] must be a valid header name with a string value/],
    [{ memberApi: kuroco, member_api: kuroco }, /memberApi and cmsAuth\.apis\.member_api map to the same env variable NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_API_BASE_URL/],
    [[kuroco], /cmsAuth\.apis must be an object/],
  ])('refuses %j with a message naming the key and the fix', (apis, message) => {
    expect(() => resolveApis(apis, context())).toThrow(message)
  })

  describe('a static API without a token', () => {
    const noToken = { news: { ...kuroco, token: undefined } }

    it('warns in development and sends nothing', () => {
      const ctx = context(false)
      const [api] = resolveApis(noToken, ctx)
      expect(api!.token).toBe('')
      expect(ctx.warnings[0]).toMatch(/cmsAuth\.apis\.news\.token is empty.*NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN/)
    })

    it('fails a production build', () => {
      expect(() => resolveApis(noToken, context(true))).toThrow(/cmsAuth\.apis\.news\.token is empty.*tokenFromEnv: true/)
    })

    it('is accepted in production when the token comes from env at runtime', () => {
      const ctx = context(true)
      const [api] = resolveApis({ news: { ...noToken.news, tokenFromEnv: true } }, ctx)
      expect(api!.tokenFromEnv).toBe(true)
      expect(ctx.warnings).toEqual([])
    })
  })
})

describe('configuration errors', () => {
  it('carry no stack trace, so Nuxt prints only the message', () => {
    let error: Error | undefined
    try {
      resolveApis({ news: { baseUrl: 'x' } }, context())
    }
    catch (e) {
      error = e as Error
    }
    expect(error?.name).toBe('CmsAuthConfigError')
    expect(error?.stack).toBe(error?.message)
    expect(error?.stack).not.toMatch(/\n\s+at /)
  })
})

describe('auth: \'cookie\'', () => {
  const member = { preset: 'kuroco', auth: 'cookie', baseURL: 'https://site.g.kuroco.app/rcms-api/4' }

  it('needs the proxy: direct cookie mode is refused with a message that says what to do', () => {
    expect(() => resolveApis({ member }, context())).toThrow(/cmsAuth\.apis\.member\.auth 'cookie' needs proxy: true/)
  })

  it('with proxy, gets a session route and the preset\'s login, logout and user endpoints', () => {
    const [api] = resolveApis({ member: { ...member, proxy: true, endpoints: { user: '/me' } } }, context())
    expect(api!.proxy && api!.proxy.sessionRoute).toBe('/api/_cms/_session/member')
    expect(api!.cookieEndpoints).toEqual({ login: '/login', logout: '/logout', user: '/me' })
  })

  it('refuses an endpoint that is not a path', () => {
    expect(() => resolveApis({ member: { ...member, proxy: true, endpoints: { login: 'login' } } }, context())).toThrow(/cmsAuth\.apis\.member\.endpoints\.login must be a path/)
  })
})
