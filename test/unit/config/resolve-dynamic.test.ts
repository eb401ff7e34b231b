import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../../src/config/resolve-apis'
import { splitRuntimeConfig } from '../../../src/config/runtime-config'

const context = { production: true, warn: () => {} }
const resolveOne = (options: object) => resolveApis({ member: { baseURL: 'https://cms.example/api', auth: 'dynamic', ...options } }, context)[0]!

describe('dynamic API options', () => {
  it('enables auth: dynamic with cookie storage, a 30 s margin and /login by default', () => {
    expect(resolveOne({ preset: 'kuroco' }).dynamic).toEqual({
      endpoints: { login: '/login', token: '/token', refresh: '/token', logout: '/logout', user: '/profile' },
      storage: 'cookie',
      cookie: { name: 'cms_auth_member', path: '/', sameSite: 'lax' },
      refreshMargin: 30,
      loginRoute: '/login',
      fetchUser: true,
    })
  })

  it('lets every endpoint path be chosen, as Kuroco admins do', () => {
    const api = resolveOne({ preset: 'kuroco', endpoints: { login: '/auth/login', user: '/me' } })
    expect(api.dynamic!.endpoints).toMatchObject({ login: '/auth/login', token: '/token', user: '/me' })
  })

  it('sends Cockpit classic dynamic keys as Cockpit-Token unless the credential is overridden', () => {
    expect(resolveOne({ preset: 'cockpit' }).credential).toEqual({ header: 'Cockpit-Token' })
    expect(resolveOne({ preset: 'cockpit', credential: { header: 'api-key' } }).credential).toEqual({ header: 'api-key', prefix: '' })
  })

  it.each([
    [{ preset: 'kuroco', dynamic: { storag: 'memory' } }, 'cmsAuth.apis.member.dynamic.storag is not an option'],
    [{ preset: 'kuroco', endpoints: { login: 'login' } }, 'cmsAuth.apis.member.endpoints.login must be a path under baseURL starting with "/"'],
    [{ preset: 'kuroco', endpoints: { signin: '/x' } }, 'cmsAuth.apis.member.endpoints.signin is not an endpoint'],
    [{ preset: 'kuroco', dynamic: { refreshMargin: -1 } }, 'cmsAuth.apis.member.dynamic.refreshMargin must be a number of seconds ≥ 0'],
    [{ preset: 'kuroco', dynamic: { loginRoute: 'login' } }, 'cmsAuth.apis.member.dynamic.loginRoute must be a path of this app'],
    [{ preset: 'kuroco', dynamic: { cookie: { name: 'bad name' } } }, 'cmsAuth.apis.member.dynamic.cookie.name "bad name" is not a valid cookie name'],
    [{ preset: 'kuroco', dynamic: { cookie: { sameSite: 'none', secure: false } } }, 'sameSite \'none\' needs secure'],
    [{ preset: 'kuroco', dynamic: { fields: { accessToken: '/t' } } }, 'dynamic.fields only applies to preset \'generic\''],
    [{ preset: 'kuroco', proxy: true, dynamic: { storage: 'memory' } }, 'cmsAuth.apis.member.dynamic.storage does not apply with proxy'],
    [{ preset: 'kuroco', proxy: { sameOrigin: false } }, 'cmsAuth.apis.member.proxy.sameOrigin cannot be false for an API whose session the server holds'],
    [{ preset: 'kuroco', auth: 'static', token: 't', dynamic: {} }, 'cmsAuth.apis.member.dynamic is set but cmsAuth.apis.member.auth is "static"'],
    [{ preset: 'microcms' }, 'is not something microcms offers'],
  ])('refuses %j with a message naming the key', (options, message) => {
    expect(() => resolveOne(options)).toThrow(message)
  })

  it('puts endpoints and cookie options in public runtimeConfig, never a custom storage path or a token', () => {
    const apis = resolveApis({ member: { baseURL: 'https://cms.example', auth: 'dynamic', dynamic: { storage: '~/token-storage', fields: { accessToken: '/jwt' } } } }, context)
    const { public: config } = splitRuntimeConfig(apis)
    expect(config.apis.member).toEqual({
      mode: 'direct-dynamic',
      baseURL: 'https://cms.example',
      auth: 'dynamic',
      credential: { header: 'Authorization', prefix: 'Bearer ' },
      dynamic: { endpoints: { login: '/login', refresh: '/refresh', logout: '/logout' }, storage: 'custom', cookie: { name: 'cms_auth_member', path: '/', sameSite: 'lax' }, refreshMargin: 30, loginRoute: '/login', fetchUser: true },
    })
    expect(apis[0]!.dynamic!.storageModule).toBe('~/token-storage')
  })
})
