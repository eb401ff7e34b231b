import { createFetch } from 'ofetch'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readUsersModule } from '../../../../src/config/register-cookie'
import { resolveApis } from '../../../../src/config/resolve-apis'
import { forwardCookies } from '../../../../src/runtime/app/cookie/forward-cookies'
import { createCmsClient } from '../../../../src/runtime/core/client/cms-client'
import { cookieSessionState } from '../../../../src/runtime/core/cookies/cookie-state'
import { presets } from '../../../../src/runtime/core/presets'
import { isOwnCookie, pickCookies, pickSetCookies } from '../../../../src/runtime/core/cookies/forwarded-cookies'
import type { PublicApiConfig } from '../../../../src/runtime/types'

const names = ['kuroco_session', 'cms_auth_member']

describe('the cookies direct cookie mode forwards during SSR', () => {
  it('recognises the module\'s own cookies by their names', () => {
    for (const own of ['cms_auth_member', 'cms_auth_memberServer', 'cms_0123abcd_kuroco_session', 'cms_0123abcd.ssr'])
      expect(isOwnCookie(own), own).toBe(true)
    for (const other of ['kuroco_session', 'cms_session', 'cms_0123abcdz_x', 'cms_0123abc_x', 'cms_auth'])
      expect(isOwnCookie(other), other).toBe(false)
  })

  it('sends the CMS only the listed cookies, never the app\'s own even when listed', () => {
    const header = 'app_session=secret; kuroco_session=s1; theme=dark; cms_auth_member=tok; cms_0123abcd_kuroco_session=p; cms_0123abcd.ssr=sealed'
    expect(pickCookies(header, names)).toBe('kuroco_session=s1')
    expect(pickCookies('kuroco_session=a=b;other=1', ['kuroco_session', 'other'])).toBe('kuroco_session=a=b; other=1')
  })

  it('matches whole names only: a prefix, a suffix or a pair without "=" does not pass', () => {
    expect(pickCookies('kuroco_session_old=x; xkuroco_session=y; kuroco_sessionz; kuroco_sessio=1', ['kuroco_session'])).toBeUndefined()
    expect(pickCookies(undefined, ['kuroco_session'])).toBeUndefined()
    expect(pickCookies('kuroco_session=x', [])).toBeUndefined()
  })

  it('passes back only the listed cookies of the CMS\'s Set-Cookie, unchanged', () => {
    const setCookies = ['kuroco_session=s2; Domain=example.com; Path=/; Max-Age=60; HttpOnly; Secure', 'tracker=t; Path=/', 'cms_auth_member=forged; Path=/', 'kuroco_session_x=1']
    expect(pickSetCookies(setCookies, names)).toEqual([setCookies[0]])
  })
})

describe('cookieSessionState', () => {
  it('reads the user from a 2xx answer, with the preset\'s readUser when it has one', () => {
    expect(cookieSessionState(200, { name: 'A' })).toEqual({ status: 'logged-in', user: { name: 'A' }, expiresAt: null })
    expect(cookieSessionState(200, { data: { name: 'A' } }, body => body.data)).toMatchObject({ user: { name: 'A' } })
  })

  it('says nobody for 401 and 403, and nothing for other answers', () => {
    expect(cookieSessionState(401, {})).toEqual({ status: 'logged-out', user: null, expiresAt: null })
    expect(cookieSessionState(403, {})).toMatchObject({ status: 'logged-out' })
    expect(cookieSessionState(500, {})).toBeUndefined()
    expect(cookieSessionState(404, {})).toBeUndefined()
  })

  it('says nobody for a 2xx in which the preset\'s reader finds no user (Payload\'s `{ user: null }`)', () => {
    expect(cookieSessionState(200, { user: null }, presets.payload.dynamic!.readUser)).toEqual({ status: 'logged-out', user: null, expiresAt: null })
    expect(cookieSessionState(200, { user: { id: 1 } }, presets.payload.dynamic!.readUser)).toMatchObject({ status: 'logged-in', user: { id: 1 } })
  })
})

interface Seen { url: string, cookie: string | null, credentials?: RequestCredentials }
const seen: Seen[] = []
let answerCookies: string[] = []

beforeEach(() => {
  seen.length = 0
  answerCookies = []
  ;(globalThis as any).$fetch = createFetch({
    fetch: async (input, init) => {
      seen.push({ url: String(input), cookie: new Headers(init?.headers).get('cookie'), credentials: init?.credentials })
      const headers = new Headers({ 'content-type': 'application/json' })
      for (const cookie of answerCookies)
        headers.append('set-cookie', cookie)
      return new Response('{}', { headers })
    },
  })
})
afterEach(() => {
  delete (globalThis as any).$fetch
})

const member: PublicApiConfig = { mode: 'direct-cookie', baseURL: 'https://cms.example.com/rcms-api/6', auth: 'cookie', credential: { header: 'X-RCMS-API-ACCESS-TOKEN' } }

function pageRequest(cookie?: string) {
  const headers: Record<string, string | string[]> = {}
  const event = {
    node: {
      req: { headers: { cookie } },
      res: { headersSent: false, getHeader: (name: string) => headers[name], setHeader: (name: string, value: string[]) => void (headers[name] = value) },
    },
  }
  return { event: event as any, responseCookies: () => headers['set-cookie'] ?? [] }
}

describe('a direct cookie API\'s client', () => {
  it('asks the browser to send the CMS\'s cookie under the base URL only', async () => {
    const client = createCmsClient('member', member)
    await client('/profile')
    await client('https://other.example/x')
    await client('/rcms-api/7/profile', { baseURL: 'https://cms.example.com' })
    expect(seen.map(request => request.credentials)).toEqual(['include', undefined, undefined])
  })

  it('forwards the page request\'s CMS cookie during SSR, to the API only', async () => {
    const { event } = pageRequest('app_session=secret; kuroco_session=s1; cms_auth_member=tok')
    const forwarding = forwardCookies(event, names)
    const client = createCmsClient('member', member, forwarding.attach)
    await client('/profile')
    await client('https://other.example/x')
    expect(forwarding.hasCookies()).toBe(true)
    expect(seen.map(request => request.cookie)).toEqual(['kuroco_session=s1', null])
  })

  it('puts the CMS\'s renewed cookie on the page response and sends it on the next request', async () => {
    const { event, responseCookies } = pageRequest('kuroco_session=s1')
    event.node.res.setHeader('set-cookie', ['app=1; Path=/'])
    const client = createCmsClient('member', member, forwardCookies(event, names).attach)
    answerCookies = ['kuroco_session=s2; Path=/; Max-Age=60; HttpOnly', 'tracker=t; Path=/']
    await client('/profile')
    answerCookies = []
    await client('/content/members')
    expect(responseCookies()).toEqual(['app=1; Path=/', 'kuroco_session=s2; Path=/; Max-Age=60; HttpOnly'])
    expect(seen.map(request => request.cookie)).toEqual(['kuroco_session=s1', 'kuroco_session=s2'])
  })

  it('stops sending a cookie the CMS cleared, and takes no Set-Cookie from another host', async () => {
    const { event, responseCookies } = pageRequest('kuroco_session=s1')
    const forwarding = forwardCookies(event, names)
    const client = createCmsClient('member', member, forwarding.attach)
    answerCookies = ['kuroco_session=evil; Path=/']
    await client('https://other.example/x')
    answerCookies = ['kuroco_session=; Path=/; Max-Age=0']
    await client('/logout', { method: 'POST' })
    answerCookies = []
    await client('/profile')
    expect(seen.map(request => request.cookie)).toEqual([null, 'kuroco_session=s1', null])
    expect(responseCookies()).toEqual(['kuroco_session=; Path=/; Max-Age=0'])
    expect(forwarding.hasCookies()).toBe(false)
  })
})

describe('the generated user readers module', () => {
  it('imports only presets whose user is not the whole body', () => {
    const apis = resolveApis({
      member: { preset: 'kuroco', auth: 'cookie', baseURL: 'https://a.example' },
      staff: { preset: 'directus', auth: 'cookie', baseURL: 'https://b.example' },
    }, { production: false, warn: () => {} })
    expect(readUsersModule(apis, path => `/module${path.slice(1)}`)).toBe([
      'import { directusProtocol } from "/module/runtime/core/presets/directus"',
      'export const readUsers = { "staff": directusProtocol.readUser }',
      '',
    ].join('\n'))
  })
})
