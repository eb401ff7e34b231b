import { describe, expect, it } from 'vitest'
import { recordAuthEvent } from '../../../src/runtime/devtools/devtools-store'
import type { DevtoolsStore } from '../../../src/runtime/devtools/devtools-store'
import { describeApi, REDACTED, redactUrl, sanitizeAuthEvent } from '../../../src/runtime/devtools/redact'

const secret = 'sk-live-0123456789'

describe('redactUrl', () => {
  it.each([
    ['user info of an absolute URL', `https://admin:${secret}@cms.example/api`, 'https://cms.example/api'],
    ['credential-like query values', `/api/_cms/blog/items?api_key=${secret}&limit=10`, `/api/_cms/blog/items?api_key=${REDACTED}&limit=10`],
    ['access_token, signature and password', `https://cms.example/x?access_token=${secret}&sig=${secret}&password=${secret}`, `https://cms.example/x?access_token=${REDACTED}&sig=${REDACTED}&password=${REDACTED}`],
    ['an unusual parameter named as an API credential', `/api/_cms/cockpit/items?k=${secret}&page=2`, `/api/_cms/cockpit/items?k=${REDACTED}&page=2`],
  ])('removes %s', (_what, input, expected) => {
    expect(redactUrl(input, ['k'])).toBe(expected)
    expect(redactUrl(input, ['k'])).not.toContain(secret)
  })

  it('keeps paths and harmless parameters as they are', () => {
    expect(redactUrl('/api/_cms/news/content/news?filter=a%20b&cnt=10')).toBe('/api/_cms/news/content/news?filter=a%20b&cnt=10')
    expect(redactUrl('https://example.g.kuroco.app/rcms-api/1')).toBe('https://example.g.kuroco.app/rcms-api/1')
  })
})

describe('describeApi', () => {
  const base = { name: 'news', mode: 'direct' as const, preset: 'kuroco', auth: 'static', baseURL: 'https://cms.example/rcms-api/1', token: secret, tokenFromEnv: false, credential: { header: 'X-RCMS-API-ACCESS-TOKEN' } }

  it('lists a direct static API with its credential placement, never its token', () => {
    const described = describeApi({ ...base, mode: 'direct', proxy: false })
    expect(described).toEqual({ name: 'news', preset: 'kuroco', auth: 'static', mode: 'direct', baseURL: 'https://cms.example/rcms-api/1', credential: 'header X-RCMS-API-ACCESS-TOKEN', tokenSet: true, routes: [] })
    expect(JSON.stringify(described)).not.toContain(secret)
  })

  it('shows the resolved mode and lists the proxy and session routes', () => {
    expect(describeApi({ ...base, mode: 'proxy', proxy: { route: '/api/_cms/news' } })).toMatchObject({ mode: 'proxy', routes: ['/api/_cms/news'] })
    expect(describeApi({ ...base, mode: 'proxy-session', auth: 'dynamic', token: '', proxy: { route: '/api/_cms/member', sessionRoute: '/api/_cms/_session/member' } }))
      .toMatchObject({ mode: 'proxy-session', tokenSet: false, routes: ['/api/_cms/member', '/api/_cms/_session/member'] })
  })

  it('redacts a secret put in the base URL, and the API\'s own query credential', () => {
    const described = describeApi({ ...base, baseURL: `https://u:${secret}@cms.example/api?key2=${secret}&q=1`, credential: { query: 'key2' }, proxy: false })
    expect(described.baseURL).toBe(`https://cms.example/api?key2=${REDACTED}&q=1`)
    expect(described.credential).toBe('query key2')
  })

  it('names no credential for an auth: \'none\' API, and the session cookie for cookie mode, whatever header the preset has', () => {
    expect(describeApi({ ...base, auth: 'none', token: '', proxy: false }).credential).toBe('none')
    expect(describeApi({ ...base, mode: 'proxy', auth: 'none', token: '', proxy: { route: '/api/_cms/news' } }).credential).toBe('none')
    expect(describeApi({ ...base, mode: 'direct-cookie', auth: 'cookie', token: '', proxy: false }).credential).toBe('CMS session cookie')
  })

  it('reports a missing static token as not set', () => {
    expect(describeApi({ ...base, token: '', proxy: false }).tokenSet).toBe(false)
    expect(describeApi({ ...base, token: '', tokenFromEnv: true, proxy: false }).tokenSet).toBe(true)
  })
})

describe('sanitizeAuthEvent', () => {
  it('keeps only known fields, so a token sent along is dropped', () => {
    const event = sanitizeAuthEvent({ api: 'member', event: 'refresh', status: 'logged-in', expiresAt: 1_700_000_000_000, accessToken: secret, refreshToken: secret, reason: secret }, ['member'], 42)
    expect(event).toEqual({ api: 'member', event: 'refresh', status: 'logged-in', expiresAt: 1_700_000_000_000, at: 42 })
  })

  it.each([
    ['an unknown API', { api: 'other', event: 'login' }],
    ['an unknown event', { api: 'member', event: 'token' }],
    ['no object', secret],
  ])('refuses %s', (_what, input) => {
    expect(sanitizeAuthEvent(input, ['member'])).toBeUndefined()
  })

  it('keeps a rejection reason and status code from the known sets', () => {
    expect(sanitizeAuthEvent({ api: 'member', event: 'logout', reason: 'rejected', statusCode: 401, fromOtherTab: true }, ['member'], 1))
      .toEqual({ api: 'member', event: 'logout', reason: 'rejected', statusCode: 401, fromOtherTab: true, at: 1 })
  })
})

describe('recordAuthEvent', () => {
  it('puts events on the timeline, newest first, and keeps the latest state per API', () => {
    const store: DevtoolsStore = { requests: [], timeline: [], tokens: {} }
    recordAuthEvent(store, { api: 'member', event: 'login', status: 'logged-in', expiresAt: 1000, at: 1 })
    recordAuthEvent(store, { api: 'member', event: 'state', expiresAt: 2000, at: 2 })
    recordAuthEvent(store, { api: 'member', event: 'refresh', at: 3 })
    expect(store.timeline.map(event => event.event)).toEqual(['refresh', 'login'])
    expect(store.tokens.member).toEqual({ status: 'logged-in', expiresAt: 2000, at: 2 })
  })
})
