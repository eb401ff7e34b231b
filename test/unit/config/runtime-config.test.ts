import { describe, expect, it } from 'vitest'
import { runtimeEnvName } from '../../../src/config/env-names'
import { resolveApis } from '../../../src/config/resolve-apis'
import { splitRuntimeConfig } from '../../../src/config/runtime-config'

const context = { production: false, warn: () => {} }

describe('splitRuntimeConfig', () => {
  it('makes a direct static token public (the browser sends it) and pre-seeds it for env overrides', () => {
    const config = splitRuntimeConfig(resolveApis({
      news: { preset: 'kuroco', auth: 'static', baseURL: 'https://s.g.kuroco.app/rcms-api/1', tokenFromEnv: true },
    }, context))
    expect(config.public.apis.news).toEqual({
      mode: 'direct',
      baseURL: 'https://s.g.kuroco.app/rcms-api/1',
      auth: 'static',
      credential: { header: 'X-RCMS-API-ACCESS-TOKEN' },
      token: '',
    })
  })

  it('gives a direct cookie API its endpoints, forwarded cookie names and login route, and no token', () => {
    const config = splitRuntimeConfig(resolveApis({
      member: { preset: 'kuroco', auth: 'cookie', baseURL: 'https://s.g.kuroco.app/rcms-api/6', cookie: { names: ['kuroco_session'] } },
    }, context))
    expect(config.public.apis.member).toEqual({
      mode: 'direct-cookie',
      baseURL: 'https://s.g.kuroco.app/rcms-api/6',
      auth: 'cookie',
      credential: { header: 'X-RCMS-API-ACCESS-TOKEN' },
      cookie: { endpoints: { login: '/login', logout: '/logout', user: '/profile' }, names: ['kuroco_session'], loginRoute: '/login' },
    })
    expect(config.private.apis).toEqual({})
  })

  it('gives an API without auth no token key at all', () => {
    const config = splitRuntimeConfig(resolveApis({ open: { baseURL: '/cms', headers: { 'X-Authenticator': 'basic' } } }, context))
    expect(config.public.apis.open).not.toHaveProperty('token')
    expect(config.public.apis.open!.headers).toEqual({ 'X-Authenticator': 'basic' })
  })
})

describe('runtimeEnvName', () => {
  it.each([
    ['public', 'news', 'token', 'NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN'],
    ['public', 'news', 'baseURL', 'NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_BASE_URL'],
    ['public', 'memberApi', 'token', 'NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_API_TOKEN'],
    ['private', 'contact', 'token', 'NUXT_CMS_AUTH_APIS_CONTACT_TOKEN'],
  ] as const)('%s %s.%s → %s', (scope, api, key, env) => {
    expect(runtimeEnvName(scope, api, key)).toBe(env)
  })
})
