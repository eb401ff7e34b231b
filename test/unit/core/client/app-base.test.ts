import { describe, expect, it } from 'vitest'
import { underAppBase, withAppBase } from '../../../../src/runtime/core/client/app-base'
import type { PublicApiConfig } from '../../../../src/runtime/types'

describe('paths of this app under app.baseURL', () => {
  it('puts a path below the base, as Nuxt\'s own $fetch does, and leaves absolute URLs alone', () => {
    expect(underAppBase('/api/_cms/contact', '/shop/')).toBe('/shop/api/_cms/contact')
    expect(underAppBase('/mock-cms/kuroco', '/shop')).toBe('/shop/mock-cms/kuroco')
    expect(underAppBase('https://cms.example/api', '/shop/')).toBe('https://cms.example/api')
    expect(underAppBase('/api/_cms/contact', '/')).toBe('/api/_cms/contact')
  })

  it('moves every API\'s base URL and session route, and changes nothing at /', () => {
    const credential = { header: 'X-RCMS-API-ACCESS-TOKEN' }
    const apis: Record<string, PublicApiConfig> = {
      contact: { mode: 'proxy', baseURL: '/api/_cms/contact', auth: 'none', credential },
      member: { mode: 'proxy-session', baseURL: '/api/_cms/member', auth: 'none', credential, session: { route: '/api/_cms/_session/member', loginRoute: '/login' } },
      news: { mode: 'direct', baseURL: 'https://cms.example/rcms-api/1', auth: 'static', credential, token: 't' },
    }
    expect(withAppBase(apis, '/')).toBe(apis)
    const moved = withAppBase(apis, '/shop/')
    expect(moved.contact!.baseURL).toBe('/shop/api/_cms/contact')
    expect(moved.member!.session).toEqual({ route: '/shop/api/_cms/_session/member', loginRoute: '/login' })
    expect(moved.news).toEqual(apis.news)
    expect(apis.contact!.baseURL).toBe('/api/_cms/contact')
  })

  it('moves a preview route too, leaving the direct API\'s own base URL alone', () => {
    const stories: PublicApiConfig = { mode: 'direct', baseURL: 'https://api.storyblok.com/v2/cdn', auth: 'static', credential: { query: 'token' }, token: 'public', preview: '/api/_cms/stories' }
    expect(withAppBase({ stories }, '/shop/').stories).toEqual({ ...stories, preview: '/shop/api/_cms/stories' })
  })
})
