import { describe, expect, it, vi } from 'vitest'
import { resolveApis } from '../../../src/config/resolve-apis'
import type { ResolveContext } from '../../../src/config/resolve-apis'

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
      mode: 'direct',
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
    [{ news: { ...kuroco, preset: 'kurocco' } }, /cmsAuth\.apis\.news\.preset "kurocco" is unknown; use one of kuroco, microcms/],
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

  it('direct: asks the preset\'s user endpoint, forwards no cookie during SSR unless told, logs in at /login', () => {
    const [api] = resolveApis({ member }, context())
    expect(api!.proxy).toBe(false)
    expect(api!.cookieEndpoints).toEqual({ login: '/login', logout: '/logout', user: '/profile' })
    expect(api!.cookie).toEqual({ names: [], loginRoute: '/login' })
  })

  it('direct: takes the CMS\'s cookie names and a login route', () => {
    const [api] = resolveApis({ member: { ...member, cookie: { names: ['kuroco_session', 'kuroco_session'], loginRoute: '/signin' } } }, context())
    expect(api!.cookie).toEqual({ names: ['kuroco_session'], loginRoute: '/signin' })
  })

  it.each([
    [{ cookie: { names: 'kuroco_session' } }, /cmsAuth\.apis\.member\.cookie\.names must be an array of the CMS's cookie names/],
    [{ cookie: { names: ['kuroco session'] } }, /cmsAuth\.apis\.member\.cookie\.names\[0\] "kuroco session" is not a valid cookie name/],
    [{ cookie: { names: ['kuroco_session', 'cms_auth_member'] } }, /cmsAuth\.apis\.member\.cookie\.names has "cms_auth_member", a cookie of nuxt-cms-auth itself/],
    [{ cookie: { names: ['cms_0123abcd_kuroco_session'] } }, /has "cms_0123abcd_kuroco_session", a cookie of nuxt-cms-auth itself/],
    [{ cookie: { names: ['cms_0123abcd.ssr'] } }, /has "cms_0123abcd\.ssr", a cookie of nuxt-cms-auth itself/],
    [{ cookie: { name: ['kuroco_session'] } }, /cmsAuth\.apis\.member\.cookie\.name is not an option \(options: names, loginRoute, userFields, forwardClientAddress\)/],
    [{ cookie: ['kuroco_session'] }, /cmsAuth\.apis\.member\.cookie must be an object/],
    [{ cookie: { loginRoute: 'login' } }, /cmsAuth\.apis\.member\.cookie\.loginRoute must be a path of this app/],
    [{ preset: 'generic', endpoints: { login: '/login' } }, /cmsAuth\.apis\.member\.endpoints\.user is missing: direct auth 'cookie' asks it who is logged in/],
    [{ proxy: true, cookie: { names: ['kuroco_session'] } }, /cmsAuth\.apis\.member\.cookie\.names does not apply with proxy/],
  ])('direct: refuses %j', (options, message) => {
    expect(() => resolveApis({ member: { ...member, ...options } }, context())).toThrow(message)
  })

  it('refuses to forward a token cookie another API renamed, and cookie options on another mode', () => {
    const token = { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://site.g.kuroco.app/rcms-api/3', dynamic: { cookie: { name: 'member_token' } } }
    expect(() => resolveApis({ token, member: { ...member, cookie: { names: ['member_token'] } } }, context())).toThrow(/cmsAuth\.apis\.member\.cookie\.names has "member_token", a cookie of nuxt-cms-auth itself/)
    expect(() => resolveApis({ token: { ...token, cookie: {} } }, context())).toThrow(/cmsAuth\.apis\.token\.cookie is set but cmsAuth\.apis\.token\.auth is "dynamic"/)
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

// Strapi 5.54, live: the Public role with `find` and every API token get drafts for `status=draft`.
describe('a direct API whose CMS gives drafts to any reader', () => {
  const strapi = { preset: 'strapi', auth: 'static', baseURL: 'https://strapi.example', tokenFromEnv: true, preview: true }

  it('warns that visitors can read drafts, and how to keep them private', () => {
    const ctx = context(true)
    resolveApis({ posts: strapi }, ctx)
    expect(ctx.warnings).toEqual(['cmsAuth.apis.posts.preview: strapi gives drafts to any reader who asks (any status but status=published), and cmsAuth.apis.posts is direct, so visitors can read drafts without preview. To keep drafts private, set cmsAuth.apis.posts.proxy: true (outside preview the proxy asks for status=published) and give the CMS\'s public role no read on types with drafts.'])
  })

  it('says nothing through the proxy, or for a CMS that keeps drafts behind the preview credential', () => {
    const ctx = context(true)
    resolveApis({ posts: { ...strapi, proxy: true }, articles: { preset: 'directus', auth: 'none', baseURL: 'https://directus.example', preview: true } }, ctx)
    expect(ctx.warnings).toEqual([])
  })
})
