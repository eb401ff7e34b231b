import type { ChildProcess } from 'node:child_process'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fetch as fetchPage, setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { $fetch } from 'ofetch'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { members } from '../mock-cms/members'
import { mockControls } from '../mock-cms/controls'
import { listenMockCms } from '../mock-cms/listen'
import { chromiumLaunch } from '../utils/chromium'
import { expectOnlyOwnUser } from '../utils/own-user'
import { fixtureDir } from '../utils/fixtures'
import { startListening, stopProcess } from '../utils/processes'
import { freePort } from '../utils/raw-http'

// `memberServer` is Kuroco api_id 3 behind the proxy: the server logs in, holds the tokens in a
// sealed cookie and refreshes them. Counters at the mock say how many refreshes reached the CMS;
// the tokens it issued (recorded from its responses) must never reach the browser.
const cms = await listenMockCms()
const sessionPassword = randomBytes(32).toString('base64url')
const env = {
  NUXT_CMS_AUTH_APIS_MEMBER_SERVER_BASE_URL: `${cms.url}/kuroco/rcms-api/3`,
  NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_BASE_URL: `${cms.url}/kuroco/rcms-api/4`,
  NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_TOO_BASE_URL: `${cms.url}/kuroco/rcms-api/5`,
  NUXT_CMS_AUTH_APIS_DIRECTUS_SERVER_BASE_URL: `${cms.url}/directus`,
  NUXT_CMS_AUTH_APIS_STRAPI_SERVER_BASE_URL: `${cms.url}/strapi`,
  NUXT_CMS_AUTH_APIS_NOCOBASE_SERVER_BASE_URL: `${cms.url}/nocobase/api`,
  NUXT_CMS_AUTH_APIS_GENERIC_SERVER_BASE_URL: `${cms.url}/directus`,
  NUXT_CMS_AUTH_SESSION_PASSWORD: sessionPassword,
}

await setup({ rootDir: fixtureDir('session'), server: true, browser: false, env })

const run = promisify(execFile)
const SESSION = '/api/_cms/_session/memberServer'
// The server this test run built (not a leftover .output of a manual build).
const serverEntry = () => join(useTestContext().nuxt!.options.nitro.output!.dir!, 'server/index.mjs')
const COOKIE = 'cms_auth_memberServer'
let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunch)
})
afterAll(async () => {
  await browser?.close()
  await cms.close()
})
beforeEach(() => cms.reset())

const { knobs, expireAccess: expireAtCms, kurocoRefreshes: refreshes } = mockControls(cms)
/** Every access and refresh token the mock handed out so far: none may reach the browser. */
const issuedTokens = () => [...new Set(cms.state.requests.flatMap(request => [request.headers['x-rcms-api-access-token']].filter(Boolean) as string[]))]

function sessionCookieOf(response: Response): string | undefined {
  return response.headers.getSetCookie().find(cookie => cookie.startsWith(`${COOKIE}=`))
}

/** Logs member `n` in through the session route, as the login page does; returns the cookie pair. */
async function logIn(n: number, base = url('/')): Promise<string> {
  const response = await fetch(new URL(`${SESSION}/login`, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: members[n]!.email, password: members[n]!.password }),
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ status: 'logged-in', user: { name: members[n]!.name } })
  return sessionCookieOf(response)!.split(';')[0]!
}

describe('server-held session over HTTP', () => {
  it('logs in on the server and hands the browser one sealed httpOnly cookie', async () => {
    const response = await fetch(url(`${SESSION}/login`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    const setCookie = sessionCookieOf(response)!
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    expect(setCookie).toMatch(/Path=\//)
    expect(cms.state.counters['kuroco.login']).toBe(1)
    const body = await response.text()
    for (const token of issuedTokens())
      expect(setCookie + body).not.toContain(token)
  })

  it('refuses a cross-site login and a cross-site proxied request', async () => {
    const login = await fetch(url(`${SESSION}/login`), { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, body: '{}' })
    expect(login.status).toBe(403)
    const cookie = await logIn(1)
    const proxied = await fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie, origin: 'https://evil.example' } })
    expect(proxied.status).toBe(403)
    expect(cms.state.counters['kuroco.members.content']).toBeUndefined()
  })

  it('adds the access token to proxied requests on the server', async () => {
    const cookie = await logIn(2)
    const body = await $fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })
    expect(body).toMatchObject({ name: 'User 2' })
    expect(await $fetch(url('/api/whoami'), { headers: { cookie } })).toMatchObject({ name: 'User 2' })
  })

  it('refreshes once after an "expired" answer, replays, and sends the renewed cookie', async () => {
    const cookie = await logIn(1)
    await expireAtCms()
    const response = await fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ name: 'User 1' })
    expect(refreshes()).toBe(1)
    // The cookie names the session; the refreshed tokens went to its record, and the cookie is
    // sent again only for the lifetime the new refresh token gives.
    const renewed = sessionCookieOf(response)!
    expect(renewed.split(';')[0]).toBe(cookie)
    expect(renewed).toMatch(/Max-Age=\d+/)
    expect(await $fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })).toMatchObject({ name: 'User 1' })
    expect(refreshes()).toBe(1)
  })

  it('replays a POST with its body after a refresh', async () => {
    const cookie = await logIn(1)
    await expireAtCms()
    const response = await fetch(url('/api/_cms/memberServer/content/members'), { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'world' }) })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ name: 'User 1', received: { hello: 'world' } })
    expect(refreshes()).toBe(1)
    expect(cms.state.requests.filter(request => request.method === 'POST' && request.path.endsWith('/content/members'))).toHaveLength(2)
  })

  it('ends the session when the CMS rejects the refresh token', async () => {
    const cookie = await logIn(1)
    await knobs({ failRefresh: 'reject' })
    await expireAtCms()
    const response = await fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })
    expect(response.status).toBe(401)
    expect(response.headers.get('x-cms-auth-session')).toBe('ended')
    expect(sessionCookieOf(response)).toMatch(/Max-Age=0/)
    // The session is over for every copy of the cookie: the CMS is not asked again.
    const before = cms.state.requests.length
    const again = await fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })
    expect([again.status, again.headers.get('x-cms-auth-session')]).toEqual([401, 'ended'])
    expect(cms.state.requests.length).toBe(before)
  })

  it('answers 429 with the CMS\'s Retry-After, and keeps the session, when the refresh after an "expired" answer is rate limited', async () => {
    // Directus's RATE_LIMITER counts the server's own refreshes (seen live: 19 of 20 requests got
    // the CMS's 403 INVALID_TOKEN, which reads as a dead session, when the refresh was answered 429).
    const login = await fetch(url('/api/_cms/_session/directusServer/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    const cookie = login.headers.getSetCookie().find(header => header.startsWith('cms_auth_directusServer='))!.split(';')[0]!
    await knobs({ failRefresh: '429', refreshDelay: 300 })
    await expireAtCms()
    const burst = await Promise.all(Array.from({ length: 5 }, () => fetch(url('/api/_cms/directusServer/items/members'), { headers: { cookie } })))
    expect(burst.map(answer => [answer.status, answer.headers.get('retry-after'), answer.headers.get('x-cms-auth-session')])).toEqual(Array.from({ length: 5 }, () => [429, '30', null]))
    expect(await burst[0]!.json()).toEqual({ statusCode: 429, message: 'The CMS is rate limiting session renewals; try again later.' })
    expect(burst.some(answer => /Max-Age=0/.test(answer.headers.get('set-cookie') ?? ''))).toBe(false)
    expect(cms.state.counters['directus.refresh']).toBe(1)
    // The limit is over: the same cookie works, with one more refresh.
    await knobs({ failRefresh: '' })
    expect(JSON.stringify(await $fetch(url('/api/_cms/directusServer/items/members'), { headers: { cookie } }))).toContain('User 1')
    expect(cms.state.counters['directus.refresh']).toBe(2)
  })

  it('answers 502, not the CMS\'s "expired", when the refresh after an "expired" answer meets a CMS that is down', async () => {
    const cookie = await logIn(2)
    await knobs({ failRefresh: '500' })
    await expireAtCms()
    const response = await fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })
    expect([response.status, response.headers.get('x-cms-auth-session')]).toEqual([502, null])
    await knobs({ failRefresh: '' })
    expect(await $fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })).toMatchObject({ name: 'User 2' })
  })

  it('ends every copy of the cookie at logout: a copy taken before is refused and nothing reaches the CMS', async () => {
    const cookie = await logIn(2)
    expect(await $fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })).toMatchObject({ name: 'User 2' })
    await fetch(url(`${SESSION}/logout`), { method: 'POST', headers: { cookie } })
    const before = cms.state.requests.length
    const replayed = await fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })
    expect(replayed.status).toBe(401)
    expect(replayed.headers.get('x-cms-auth-session')).toBe('ended')
    expect(await replayed.json()).toEqual({ statusCode: 401, message: 'The session has ended; log in again.' })
    expect(sessionCookieOf(replayed)).toMatch(/Max-Age=0/)
    expect(await $fetch(url(`${SESSION}/session`), { headers: { cookie } })).toMatchObject({ status: 'logged-out' })
    expect(await fetch(url('/api/whoami'), { headers: { cookie } }).then(answer => answer.status)).toBe(401)
    expect(cms.state.requests.length).toBe(before)
  })

  it('ends the session once when the CMS revoked it (a password change): one refresh attempt for a burst of 20', async () => {
    const cookie = await logIn(3)
    await knobs({ refreshDelay: 200 })
    await $fetch(`${cms.url}/__mock/change-password`, { method: 'POST', body: { email: members[3]!.email } })
    const burst = await Promise.all(Array.from({ length: 20 }, () => fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie } })))
    expect(burst.map(answer => answer.status)).toEqual(Array.from({ length: 20 }, () => 401))
    expect(burst.every(answer => answer.headers.get('x-cms-auth-session') === 'ended')).toBe(true)
    expect(burst.every(answer => /Max-Age=0/.test(sessionCookieOf(answer) ?? ''))).toBe(true)
    expect(refreshes()).toBe(1)
  })

  it('renders a page logged out and redirects it to the login route when the refresh is refused before anything is sent', async () => {
    // A 1 s access token: the session knows it is due, so the server refreshes before the page asks the CMS.
    await knobs({ accessTtl: 1 })
    const cookie = await logIn(4)
    await $fetch(`${cms.url}/__mock/revoke-sessions`, { method: 'POST', body: { email: members[4]!.email } })
    await new Promise(resolve => setTimeout(resolve, 1100))
    const page = await fetchPage('/members', { headers: { cookie }, redirect: 'manual' })
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toMatch(/^\/login\?redirect=/)
    expect(sessionCookieOf(page)).toMatch(/Max-Age=0/)
    expect(refreshes()).toBe(1)
    expect(cms.state.counters['kuroco.members.content']).toBeUndefined()
  })

  it('logs out at the CMS and clears the cookie', async () => {
    const cookie = await logIn(1)
    const response = await fetch(url(`${SESSION}/logout`), { method: 'POST', headers: { cookie } })
    expect(await response.json()).toMatchObject({ status: 'logged-out' })
    expect(sessionCookieOf(response)).toMatch(/Max-Age=0/)
    expect(cms.state.counters['kuroco.logout']).toBe(1)
  })

  it('ignores a cookie sealed with another password', async () => {
    const cookie = await logIn(1)
    const forged = `${COOKIE}=${cookie.split('=')[1]!.replace(/.{4}$/, 'AAAA')}`
    expect(await $fetch(url(`${SESSION}/session`), { headers: { cookie: forged } })).toMatchObject({ status: 'logged-out' })
  })
})

describe.each([
  { api: 'directusServer', preset: 'directus', login: { email: 'user1@example.com', password: 'password-1' }, members: '/items/members' },
  { api: 'strapiServer', preset: 'strapi', login: { identifier: 'user1@example.com', password: 'password-1' }, members: '/api/members' },
  { api: 'nocobaseServer', preset: 'nocobase', login: { account: 'user1@example.com', password: 'password-1' }, members: '/members:list' },
  // The mock counts what reached its Directus endpoints.
  { api: 'genericServer', preset: 'directus', login: { email: 'user1@example.com', password: 'password-1' }, members: '/items/members' },
])('$api: the login flow run by the server', ({ api, preset, login, members: path }) => {
  const route = `/api/_cms/_session/${api}`
  it('logs in, reads members-only content through the proxy, survives expiry with one refresh, logs out', async () => {
    const response = await fetch(url(`${route}/login`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: 'logged-in' })
    const cookie = response.headers.getSetCookie().find(header => header.startsWith(`cms_auth_${api}=`))!.split(';')[0]!
    expect(cms.state.counters[`${preset}.login`]).toBe(1)
    expect(JSON.stringify(await $fetch(url(`/api/_cms/${api}${path}`), { headers: { cookie } }))).toContain('User 1')

    await expireAtCms()
    const after = await Promise.all(Array.from({ length: 5 }, () => fetch(url(`/api/_cms/${api}${path}`), { headers: { cookie } })))
    expect(after.map(answer => answer.status)).toEqual([200, 200, 200, 200, 200])
    expect(await after[0]!.text()).toContain('User 1')
    const renewed = after.map(answer => answer.headers.getSetCookie().find(header => header.startsWith(`cms_auth_${api}=`))).find(Boolean)?.split(';')[0] ?? cookie
    const refreshes = cms.state.counters[`${preset}.refresh`]
    if (preset === 'nocobase') {
      // NocoBase renews in the answer to each request that carried the expired token (x-new-token),
      // so requests already in flight each get one; the session keeps the renewed token.
      expect(refreshes).toBeGreaterThanOrEqual(1)
    }
    else {
      expect(refreshes).toBe(1)
    }
    expect(JSON.stringify(await $fetch(url(`/api/_cms/${api}${path}`), { headers: { cookie: renewed } }))).toContain('User 1')
    expect(cms.state.counters[`${preset}.refresh`]).toBe(refreshes)
    const logout = await fetch(url(`${route}/logout`), { method: 'POST', headers: { cookie: renewed } })
    expect(await logout.json()).toMatchObject({ status: 'logged-out' })
    expect(logout.headers.getSetCookie()).toContainEqual(expect.stringMatching(new RegExp(`^cms_auth_${api}=; Max-Age=0`)))
    expect(cms.state.counters[`${preset}.logout`]).toBe(1)
  })

  it('logs out at the CMS after the access token expired (a stale token is refreshed first)', async () => {
    await knobs({ accessTtl: 1 })
    const response = await fetch(url(`${route}/login`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) })
    const cookie = response.headers.getSetCookie().find(header => header.startsWith(`cms_auth_${api}=`))!.split(';')[0]!
    await new Promise(resolve => setTimeout(resolve, 1100))
    const logout = await fetch(url(`${route}/logout`), { method: 'POST', headers: { cookie } })
    expect(await logout.json()).toMatchObject({ status: 'logged-out' })
    expect(cms.state.counters[`${preset}.logout`]).toBe(1)
    expect(cms.state.counters[`${preset}.logout.rejected`]).toBeUndefined()
  })
})

describe('session lifetime and the user the page gets', () => {
  const loginTo = (api: string, body: object, headers: Record<string, string> = {}) => fetch(url(`/api/_cms/_session/${api}/login`), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

  it('keeps a Directus session 7 days (REFRESH_TOKEN_TTL) when the login answer does not say, and a Kuroco one as long as its refresh token', async () => {
    const directus = await loginTo('directusServer', { email: members[1]!.email, password: members[1]!.password })
    expect(directus.headers.getSetCookie().find(cookie => cookie.startsWith('cms_auth_directusServer='))).toMatch(/Max-Age=604800;/)
    const kuroco = await loginTo('memberServer', { email: members[1]!.email, password: members[1]!.password })
    const maxAge = Number(/Max-Age=(\d+)/.exec(sessionCookieOf(kuroco)!)![1])
    // The mock's refresh tokens live an hour.
    expect(maxAge).toBeGreaterThan(3590)
    expect(maxAge).toBeLessThanOrEqual(3600)
  })

  it('keeps only the preset\'s user fields: never Directus\'s masked password, TFA secret or token', async () => {
    const directus = await loginTo('directusServer', { email: members[2]!.email, password: members[2]!.password })
    const { user } = await directus.json() as { user: Record<string, unknown> }
    expect(user).toEqual({ id: 102, email: members[2]!.email, first_name: 'User 2', last_name: null, role: 'member-role' })
  })

  it('Strapi with sessions.httpOnly: takes the refresh token from the CMS\'s Set-Cookie, refreshes with it, never hands it to the browser', async () => {
    await knobs({ strapiHttpOnly: true })
    const response = await loginTo('strapiServer', { identifier: members[1]!.email, password: members[1]!.password })
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie().join('\n')).not.toMatch(/strapi_up_refresh/)
    const cookie = response.headers.getSetCookie().find(header => header.startsWith('cms_auth_strapiServer='))!.split(';')[0]!
    await expireAtCms()
    expect(JSON.stringify(await $fetch(url('/api/_cms/strapiServer/api/members'), { headers: { cookie } }))).toContain('User 1')
    expect(cms.state.counters['strapi.refresh']).toBe(1)
    expect(cms.state.counters['strapi.refresh.rejected']).toBeUndefined()
  })

  it('passes the visitor\'s address to Strapi on login when asked (and only then), and answers its 429 as a 429 with Retry-After', async () => {
    await knobs({ loginLimit: 2 })
    const credentials = { identifier: members[1]!.email, password: members[1]!.password }
    const visitor = (address: string) => ({ 'x-forwarded-for': address })
    expect((await loginTo('strapiServer', credentials, visitor('192.0.2.1'))).status).toBe(200)
    expect((await loginTo('strapiServer', credentials, visitor('192.0.2.1'))).status).toBe(200)
    const limited = await loginTo('strapiServer', credentials, visitor('192.0.2.1'))
    expect(limited.status).toBe(429)
    // Strapi sends no Retry-After, only X-RateLimit-Reset (epoch seconds, 42 s ahead here): the wait is computed from it.
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(41)
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(43)
    // Another visitor is not limited by the first one's logins.
    expect((await loginTo('strapiServer', credentials, visitor('192.0.2.2'))).status).toBe(200)
    const sent = cms.state.requests.filter(request => request.path === '/strapi/api/auth/local').map(request => request.headers['x-forwarded-for'])
    expect(sent).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.1', '192.0.2.2'])
    // Off by default: the Kuroco session API sends no address.
    await loginTo('memberServer', { email: members[1]!.email, password: members[1]!.password }, visitor('192.0.2.3'))
    expect(cms.state.requests.filter(request => request.path.endsWith('/rcms-api/3/login')).map(request => request.headers['x-forwarded-for'])).toEqual([undefined])
  })
})

describe('Kuroco cookie sessions through the proxy', () => {
  const COOKIE_SESSION = '/api/_cms/_session/memberCookie'
  const cmsCookie = (response: Response) => response.headers.getSetCookie().find(cookie => /^cms_[0-9a-f]{8}_kuroco_session=/.test(cookie))

  const ssrCopy = (response: Response) => response.headers.getSetCookie().find(cookie => /^cms_[0-9a-f]{8}\.ssr=/.test(cookie))
  const pair = (setCookie: string | undefined) => setCookie!.split(';')[0]!

  /** Logs member `n` in: the CMS cookie (proxy path) and its sealed copy (every path), as cookie pairs. */
  async function cookieLogInPairs(n: number): Promise<{ cms: string, copy: string }> {
    const response = await fetch(url(`${COOKIE_SESSION}/login`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[n]!.email, password: members[n]!.password }) })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: 'logged-in', user: { name: members[n]!.name } })
    return { cms: pair(cmsCookie(response)), copy: pair(ssrCopy(response)) }
  }
  const cookieLogIn = async (n: number) => (await cookieLogInPairs(n)).cms

  it('logs in through the server and hands the browser the CMS cookie as its own: no Domain, the proxy path, httpOnly', async () => {
    const response = await fetch(url(`${COOKIE_SESSION}/login`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    const setCookie = cmsCookie(response)!
    expect(setCookie).not.toMatch(/Domain/i)
    expect(setCookie).toMatch(/; Path=\/api\/_cms(;|$)/)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    // The test talks plain http: the CMS's Secure does not carry over.
    expect(setCookie).not.toMatch(/Secure/)
    expect(cms.state.counters['kuroco-cookie.login']).toBe(1)
  })

  it('hands the browser a sealed copy for page requests: every path, httpOnly, no CMS value in it', async () => {
    const response = await fetch(url(`${COOKIE_SESSION}/login`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    const copy = ssrCopy(response)!
    expect(copy).toMatch(/; Path=\/;/)
    expect(copy).toMatch(/HttpOnly/)
    expect(copy).toMatch(/SameSite=Lax/)
    expect(copy).not.toMatch(/Max-Age/)
    const sessionId = pair(cmsCookie(response)).split('=')[1]!
    expect(copy).not.toContain(sessionId)
  })

  it('renders a members page on the server from the sealed copy alone, as a page request carries it', async () => {
    const { cms: cmsPair, copy } = await cookieLogInPairs(2)
    const html = await fetchPage('/cookie-members', { headers: { cookie: copy } }).then(response => response.text())
    expect(html).toContain('Cookie-session news for User 2')
    expect(html).toMatch(/id="cookie-user"[^>]*>\s*User 2/)
    expect(html).not.toContain(cmsPair.split('=')[1]!)
    // The CMS got its own cookie from the server, nothing of the app's.
    const sent = cms.state.requests.filter(request => request.path.endsWith('/content/members')).map(request => request.headers.cookie)
    expect(sent).toEqual([cmsPair.replace(/^cms_[0-9a-f]{8}_/, '')])
    // The app's own server routes get the same session.
    expect(await $fetch(url('/api/cookie-whoami'), { headers: { cookie: copy } })).toMatchObject({ name: 'User 2' })
  })

  it('redirects a page request without a session to the login route on the server, and ignores a forged copy', async () => {
    const redirect = await fetchPage('/cookie-members', { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toMatch(/^\/login\?redirect=/)
    const { copy } = await cookieLogInPairs(1)
    const forged = copy.replace(/.{4}$/, 'AAAA')
    expect((await fetchPage('/cookie-members', { redirect: 'manual', headers: { cookie: forged } })).status).toBe(302)
  })

  it('passes a session the CMS renews during SSR on to the browser: both cookies, and the old id no longer works', async () => {
    const { cms: oldCms, copy: oldCopy } = await cookieLogInPairs(3)
    const response = await fetchPage('/cookie-renewing', { headers: { cookie: oldCopy } })
    expect(await response.text()).toContain('Renewed-session news for User 3')
    expect(cms.state.counters['kuroco-cookie.renewing']).toBe(1)
    const newCms = pair(cmsCookie(response))
    const newCopy = pair(ssrCopy(response))
    expect(newCms).not.toBe(oldCms)
    expect(newCopy).not.toBe(oldCopy)
    expect(cmsCookie(response)).toMatch(/; Path=\/api\/_cms;/)
    // The CMS forgot the old id: only the cookies the page response handed over work now.
    expect((await fetch(url('/api/_cms/memberCookie/content/members'), { headers: { cookie: oldCms } })).status).toBe(401)
    expect(await $fetch(url('/api/_cms/memberCookie/content/members'), { headers: { cookie: newCms } })).toMatchObject({ name: 'User 3' })
    expect(await fetchPage('/cookie-members', { headers: { cookie: newCopy } }).then(page => page.text())).toContain('Cookie-session news for User 3')
  })

  it('updates the sealed copy when the CMS renews the session on a proxied call', async () => {
    const { cms: oldCms, copy: oldCopy } = await cookieLogInPairs(4)
    const response = await fetch(url('/api/_cms/memberCookie/content/renewing'), { headers: { cookie: `${oldCms}; ${oldCopy}` } })
    expect(await response.json()).toMatchObject({ name: 'User 4' })
    const newCopy = pair(ssrCopy(response))
    expect(newCopy).not.toBe(oldCopy)
    expect(await fetchPage('/cookie-members', { headers: { cookie: newCopy } }).then(page => page.text())).toContain('Cookie-session news for User 4')
  })

  it('writes the sealed copy for a browser that holds only the CMS cookie when it asks for the session', async () => {
    const cmsPair = await cookieLogIn(5)
    const response = await fetch(url(`${COOKIE_SESSION}/session`), { headers: { cookie: cmsPair } })
    expect(await response.json()).toMatchObject({ status: 'logged-in' })
    const copy = pair(ssrCopy(response))
    expect(await fetchPage('/cookie-members', { headers: { cookie: copy } }).then(page => page.text())).toContain('Cookie-session news for User 5')
  })

  it('sends the CMS only its own cookie, never the app\'s other cookies', async () => {
    const cookie = await cookieLogIn(2)
    const browserCookies = `app_session=app-secret; theme=dark; ${COOKIE}=sealed-elsewhere; ${cookie}`
    expect(await $fetch(url('/api/_cms/memberCookie/content/members'), { headers: { cookie: browserCookies } })).toMatchObject({ name: 'User 2' })
    const sent = cms.state.requests.filter(request => request.path.endsWith('/content/members')).map(request => request.headers.cookie)
    expect(sent).toEqual([`kuroco_session=${cookie.split('=')[1]}`])
    expect(JSON.stringify(cms.state.requests)).not.toContain('app-secret')
  })

  it('shares the CMS session with another API on the same upstream, as Kuroco does', async () => {
    const cookie = await cookieLogIn(3)
    expect(await $fetch(url('/api/_cms/memberCookieToo/content/members'), { headers: { cookie } })).toMatchObject({ name: 'User 3' })
    expect(await $fetch(url('/api/_cms/_session/memberCookieToo/session'), { headers: { cookie } })).toMatchObject({ status: 'logged-in', user: { name: 'User 3' } })
  })

  it('logs out at the CMS and clears the cookie', async () => {
    const cookie = await cookieLogIn(1)
    const response = await fetch(url(`${COOKIE_SESSION}/logout`), { method: 'POST', headers: { cookie } })
    expect(await response.json()).toMatchObject({ status: 'logged-out' })
    expect(response.headers.getSetCookie()).toContainEqual(expect.stringMatching(new RegExp(`^${cookie.split('=')[0]}=; Path=/api/_cms; Max-Age=0`)))
    expect(cms.state.counters['kuroco-cookie.logout']).toBe(1)
    // The sealed copy goes too.
    expect(response.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cms_[0-9a-f]{8}\.ssr=; Path=\/; Max-Age=0/))
    // The CMS ended the session: the old cookie no longer works.
    expect((await fetch(url('/api/_cms/memberCookie/content/members'), { headers: { cookie } })).status).toBe(401)
    expect(await $fetch(url(`${COOKIE_SESSION}/session`), { headers: { cookie } })).toMatchObject({ status: 'logged-out' })
  })

  it('refuses a cross-site POST (CSRF) and a cross-site login before the CMS sees them', async () => {
    const cookie = await cookieLogIn(1)
    const post = await fetch(url('/api/_cms/memberCookie/content/members'), { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, body: '{"evil":true}' })
    expect(post.status).toBe(403)
    const login = await fetch(url(`${COOKIE_SESSION}/login`), { method: 'POST', headers: { 'content-type': 'application/json', 'origin': 'https://evil.example' }, body: '{}' })
    expect(login.status).toBe(403)
    expect(cms.state.requests.filter(request => request.method === 'POST' && request.path.endsWith('/content/members'))).toEqual([])
    expect(cms.state.counters['kuroco-cookie.login']).toBe(1)
  })

  it('renders a members page in Chromium from the cookie session, and sends a visitor without one to the login route', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(url('/cookie-members'))
      await page.waitForURL(/\/login\?redirect=(?:%2F|\/)cookie-members$/)
      // The browser context's request shares its cookie jar: this is a login from this browser.
      const login = await context.request.post(url(`${COOKIE_SESSION}/login`), { data: { email: members[4]!.email, password: members[4]!.password } })
      expect(login.status()).toBe(200)
      // Rendered on the server: the HTML already holds the member's content.
      const html = await (await page.goto(url('/cookie-members')))!.text()
      expect(html).toContain('Cookie-session news for User 4')
      await page.waitForSelector('#cookie-content:has-text("Cookie-session news for User 4")')
      expect(await page.textContent('#cookie-user')).toContain('User 4')
      expect(await page.evaluate(() => document.cookie)).not.toMatch(/kuroco_session/)
      const cookie = (await context.cookies()).find(c => c.name.endsWith('_kuroco_session'))
      expect(cookie).toMatchObject({ httpOnly: true, path: '/api/_cms', sameSite: 'Lax' })
      expect((await context.cookies()).find(c => c.name.endsWith('.ssr'))).toMatchObject({ httpOnly: true, path: '/', sameSite: 'Lax' })
      // A page the server did not render asks for the session from the browser.
      await page.goto(url('/spa/cookie-user'))
      await page.waitForSelector('#spa-cookie-user:has-text("User 4")')
    }
    finally {
      await context.close()
    }
  })

  it('renders 50 concurrent pages of 5 cookie-session users, each with only its own user', async () => {
    const copies = await Promise.all([1, 2, 3, 4, 5].map(async n => [n, (await cookieLogInPairs(n)).copy] as const))
    const pages = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const [n, copy] = copies[i % 5]!
      return [n, await (await fetchPage('/cookie-members', { headers: { cookie: copy } })).text()] as const
    }))
    for (const [n, html] of pages) {
      expect(html).toContain(`Cookie-session news for User ${n}`)
      expect(html).toMatch(new RegExp(`id="cookie-user"[^>]*>\\s*User ${n}\\s*<`))
      for (const other of [1, 2, 3, 4, 5].filter(o => o !== n))
        expect(html).not.toContain(`User ${other}`)
    }
  })

  it('marks every cookie it sets Secure when the browser\'s request was https (behind a TLS-terminating proxy)', async () => {
    const https = { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }
    const cookieLogin = await fetch(url(`${COOKIE_SESSION}/login`), { method: 'POST', headers: https, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    expect(cmsCookie(cookieLogin)).toMatch(/; Secure$/)
    expect(ssrCopy(cookieLogin)).toMatch(/; Secure$/)
    const tokenLogin = await fetch(url(`${SESSION}/login`), { method: 'POST', headers: https, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    expect(sessionCookieOf(tokenLogin)).toMatch(/; Secure(;|$)/)
  })

  it('ends the session when the CMS dropped it: the proxied answer says so, and the stale cookies and their copy are cleared', async () => {
    const { cms: cmsPair, copy } = await cookieLogInPairs(2)
    cms.reset()
    const response = await fetch(url('/api/_cms/memberCookie/content/members'), { headers: { cookie: `${cmsPair}; ${copy}` } })
    expect(response.status).toBe(401)
    expect(response.headers.get('x-cms-auth-session')).toBe('ended')
    const cleared = response.headers.getSetCookie()
    expect(cleared).toContainEqual(expect.stringMatching(new RegExp(`^${cmsPair.split('=')[0]}=; Path=/api/_cms; Max-Age=0`)))
    expect(cleared).toContainEqual(expect.stringMatching(/^cms_[0-9a-f]{8}\.ssr=; Path=\/; Max-Age=0/))
  })

  it('asks the CMS who is logged in once per render for both APIs on the upstream, never on a page that does not need it, and clears a dropped session so the next render asks nothing', async () => {
    const { copy } = await cookieLogInPairs(3)
    const profiles = () => cms.state.counters['kuroco-cookie.profile'] ?? 0
    const asked = profiles()
    const both = await fetchPage('/cookie-both', { headers: { cookie: copy } }).then(page => page.text())
    expect(both).toMatch(/id="first-status"[^>]*>\s*logged-in/)
    expect(both).toMatch(/id="second-user"[^>]*>\s*User 3/)
    expect(profiles()).toBe(asked + 1)
    expect(await fetchPage('/', { headers: { cookie: copy } }).then(page => page.status)).toBe(200)
    expect(profiles()).toBe(asked + 1)
    // The CMS drops the session: the next page that needs it asks once, renders logged out and clears the copy.
    cms.reset()
    const dropped = await fetchPage('/cookie-both', { headers: { cookie: copy } })
    expect(await dropped.text()).toMatch(/id="first-status"[^>]*>\s*logged-out/)
    expect(cms.state.counters['kuroco-cookie.profile']).toBe(1)
    expect(dropped.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cms_[0-9a-f]{8}\.ssr=; Path=\/; Max-Age=0/))
    expect(dropped.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cms_[0-9a-f]{8}_kuroco_session=; Path=\/api\/_cms; Max-Age=0/))
    await fetchPage('/cookie-both')
    expect(cms.state.counters['kuroco-cookie.profile']).toBe(1)
  })

  it('keeps both APIs on the upstream in step in the page: a login through one logs the other in (its protected page opens), a logout logs both out', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(url('/cookie-both'))
      await page.waitForSelector('[data-hydrated=true]')
      await page.click('#first-login')
      await page.waitForSelector('#second-status:has-text("logged-in")')
      expect(await page.textContent('#second-user')).toContain('User 3')
      await page.goto(url('/cookie-too'))
      await page.waitForSelector('#too-user:has-text("User 3")')
      await page.goto(url('/cookie-both'))
      await page.waitForSelector('[data-hydrated=true]')
      await page.click('#first-logout')
      await page.waitForSelector('#second-status:has-text("logged-out")')
      expect(await page.textContent('#first-status')).toContain('logged-out')
    }
    finally {
      await context.close()
    }
  })

  it('answers a wrong password with 401 and sets no cookie', async () => {
    const response = await fetch(url(`${COOKIE_SESSION}/login`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: 'wrong' }) })
    expect(response.status).toBe(401)
    expect(cmsCookie(response)).toBeUndefined()
  })
})

describe('SSR from the server-held session', () => {
  it('renders the members page, refreshing on the server and renewing the cookie on that response', async () => {
    const cookie = await logIn(3)
    await expireAtCms()
    const response = await fetchPage('/members', { headers: { cookie } })
    const html = await response.text()
    expect(html).toContain('<p id="user">User 3</p>')
    expect(html).toContain('Members-only news for User 3')
    expect(refreshes()).toBe(1)
    expect(sessionCookieOf(response)).toBeTruthy()
    for (const token of issuedTokens())
      expect(html).not.toContain(token)
  })

  it('renders 50 concurrent requests from 5 users, each with only its own user', async () => {
    const cookies = await Promise.all([1, 2, 3, 4, 5].map(async n => [n, await logIn(n)] as const))
    const pages = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const [n, cookie] = cookies[i % 5]!
      return [n, await (await fetchPage('/members', { headers: { cookie } })).text()] as const
    }))
    expectOnlyOwnUser(pages)
  })
})

describe('server-held session in Chromium', () => {
  let context: BrowserContext
  beforeEach(async () => {
    context = await browser.newContext()
  })
  afterAll(() => context?.close())

  it('logs in, survives expiry through a server refresh, shows no CMS token to the page, logs out', async () => {
    const page = await context.newPage()
    await page.goto(url('/members'))
    await page.waitForURL(/\/login\?redirect=/)
    await page.waitForSelector('#login[data-hydrated=true]')
    await page.fill('#email', members[1]!.email)
    await page.fill('#password', members[1]!.password)
    await page.click('#submit')
    await page.waitForURL(/\/members$/)
    await page.waitForSelector('#user:has-text("User 1")', { timeout: 5000 }).catch(async (error) => {
      throw new Error(`${error.message}\n${await page.content()}`)
    })
    await page.waitForSelector('[data-hydrated=true]')

    await expireAtCms()
    await page.click('#burst')
    await page.waitForSelector('#burst-result:not(:empty)')
    expect(await page.textContent('#burst-result')).toBe('20/20')
    expect(refreshes()).toBe(1)

    await page.reload()
    await page.waitForSelector('[data-hydrated=true]')
    expect(await page.textContent('#user')).toBe('User 1')
    await page.click('#storage')
    await page.waitForSelector('#visible:not(:empty)')
    const visible = await page.textContent('#visible')
    const html = await page.content()
    const tokens = issuedTokens()
    expect(tokens.length).toBeGreaterThan(1)
    for (const token of tokens) {
      expect(visible).not.toContain(token)
      expect(html).not.toContain(token)
    }
    expect(visible).not.toContain(COOKIE)
    const cookie = (await context.cookies()).find(c => c.name === COOKIE)
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })

    await page.click('#logout')
    await page.waitForSelector('#status:has-text("logged-out")')
    expect(cms.state.counters['kuroco.logout']).toBe(1)
    expect((await context.cookies()).find(c => c.name === COOKIE)).toBeUndefined()
  })
})

describe('a session the server ended, in Chromium', () => {
  it('logs the page out and sends a protected page to the login route when the CMS rejects the refresh', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(url('/login?redirect=/members'))
      await page.waitForSelector('#login[data-hydrated=true]')
      await page.fill('#email', members[2]!.email)
      await page.fill('#password', members[2]!.password)
      await page.click('#submit')
      await page.waitForURL(/\/members$/)
      await page.waitForSelector('#user:has-text("User 2")')
      await page.waitForSelector('[data-hydrated=true]')

      await knobs({ failRefresh: 'reject' })
      await expireAtCms()
      let answered = 0
      page.on('response', (response) => {
        if (response.url().endsWith('/api/_cms/memberServer/content/members'))
          answered++
      })
      const ended: (string | null)[] = []
      page.on('response', (response) => {
        if (response.url().endsWith('/api/_cms/memberServer/content/members'))
          ended.push(response.headers()['x-cms-auth-session'] ?? null)
      })
      await page.click('#burst')
      // The proxied answers carried `x-cms-auth-session: ended`: no reload, no login attempt in between.
      await page.waitForURL(/\/login\?redirect=(?:%2F|\/)members$/)
      // Every request of the burst is answered before the next test resets the mock's counters.
      await expect.poll(() => answered, { timeout: 10_000 }).toBe(20)
      expect(refreshes()).toBe(1)
      expect(ended).toEqual(Array.from({ length: 20 }, () => 'ended'))
      expect(await page.evaluate(() => (window as { cmsAuthEvents?: string[] }).cmsAuthEvents)).toContain('logout:memberServer:rejected')
      expect((await context.cookies()).find(c => c.name === COOKIE)).toBeUndefined()
    }
    finally {
      await context.close()
    }
  })
})

/** redis-server on a free port, its data in `dir` so a restart keeps the sessions (as a persisted Redis does). */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  return startListening('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], port)
}

/** `INFO commandstats` calls of one Redis command: what the instances asked of storage. */
async function redisCalls(port: number, command: string): Promise<number> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'info', 'commandstats'])
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stdout)?.[1] ?? 0)
}

describe('two server instances on one redis-server', () => {
  const children: ChildProcess[] = []
  let redisPort: number
  let redisDir: string
  let bases: string[]
  let started: Promise<void> | undefined
  // Started by the first test that needs them (the build's output is known inside tests).
  const instances = () => started ||= (async () => {
    const server = serverEntry()
    const [portA, portB] = [await freePort(), await freePort()]
    redisPort = await freePort()
    redisDir = await mkdtemp(join(tmpdir(), 'cms-auth-redis-'))
    children.push(await startRedis(redisPort, redisDir))
    // The Redis URL is given to the built server at runtime (NUXT_REDIS_URL → runtimeConfig.redisUrl).
    const instanceEnv = { ...process.env, ...env, NUXT_REDIS_URL: `redis://127.0.0.1:${redisPort}`, NODE_ENV: 'production' }
    children.push(await startListening(process.execPath, [server], portA, { env: { ...instanceEnv, PORT: String(portA), HOST: '127.0.0.1' } }))
    children.push(await startListening(process.execPath, [server], portB, { env: { ...instanceEnv, PORT: String(portB), HOST: '127.0.0.1' } }))
    bases = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]
  })()
  beforeEach(() => instances())
  afterAll(async () => {
    for (const child of children.reverse())
      await stopProcess(child)
    if (redisDir)
      await rm(redisDir, { recursive: true, force: true })
  })
  const members_ = (base: string, cookie: string) => fetch(`${base}/api/_cms/memberServer/content/members`, { headers: { cookie } })

  it('keeps the session in the Redis the built server was given at runtime, and reads it once per request', async () => {
    const cookie = await logIn(4, bases[0])
    const { stdout } = await run('redis-cli', ['-p', String(redisPort), '--scan', '--pattern', '*session:memberServer:*'])
    expect(stdout.trim().split('\n').filter(Boolean)).toHaveLength(1)
    const before = await redisCalls(redisPort, 'get')
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => members_(bases[i % 2]!, cookie)))
    expect(answers.map(answer => answer.status)).toEqual(Array.from({ length: 10 }, () => 200))
    expect(await redisCalls(redisPort, 'get') - before).toBe(10)
  })

  it('spends a rotating refresh token once for 100 concurrent requests of one session split across both', async () => {
    const cookie = await logIn(4, bases[0])
    // A slow refresh widens the window in which the other instance's requests pile up.
    await knobs({ refreshDelay: 300 })
    await expireAtCms()
    const responses = await Promise.all(Array.from({ length: 100 }, async (_, i) => {
      const response = await members_(bases[i % 2]!, cookie)
      return { status: response.status, body: await response.json() as { name?: string } }
    }))
    expect(responses.filter(r => r.status !== 200)).toEqual([])
    expect(responses.every(r => r.body.name === 'User 4')).toBe(true)
    expect(refreshes()).toBe(1)
    expect(cms.state.counters['kuroco.refresh.rejected']).toBeUndefined()
    // Still logged in, on both instances, with the cookie the browser had before.
    for (const base of bases)
      expect(await $fetch(`${base}/api/_cms/memberServer/content/members`, { headers: { cookie } })).toMatchObject({ name: 'User 4' })
    expect(refreshes()).toBe(1)
  })

  it('refuses on both instances a cookie copied before a logout on one, and nothing reaches the CMS', async () => {
    const cookie = await logIn(5, bases[0])
    await fetch(`${bases[1]}${SESSION}/logout`, { method: 'POST', headers: { cookie } })
    const before = cms.state.requests.length
    for (const base of bases) {
      const replayed = await members_(base, cookie)
      expect([replayed.status, replayed.headers.get('x-cms-auth-session')]).toEqual([401, 'ended'])
    }
    expect(cms.state.requests.length).toBe(before)
  })

  it('ends a session revoked at the CMS once across both instances: one refresh attempt for 20 requests, each told the session ended', async () => {
    const cookie = await logIn(2, bases[0])
    await knobs({ refreshDelay: 300 })
    await $fetch(`${cms.url}/__mock/revoke-sessions`, { method: 'POST', body: { email: members[2]!.email } })
    await expireAtCms()
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => members_(bases[i % 2]!, cookie)))
    expect(burst.map(answer => answer.status)).toEqual(Array.from({ length: 20 }, () => 401))
    expect(burst.map(answer => answer.headers.get('x-cms-auth-session'))).toEqual(Array.from({ length: 20 }, () => 'ended'))
    expect(burst.every(answer => /Max-Age=0/.test(sessionCookieOf(answer) ?? ''))).toBe(true)
    expect(refreshes()).toBe(1)
  })

  it('fails fast with a clear 503 while Redis is down, keeps internal text out of pages, and the same session works once Redis is back', async () => {
    const cookie = await logIn(3, bases[0])
    await stopProcess(children.shift())
    try {
      const started = Date.now()
      const down = await Promise.all(bases.flatMap(base => [
        members_(base, cookie).then(async answer => ({ status: answer.status, ms: Date.now() - started, body: await answer.text() })),
        fetch(`${base}${SESSION}/session`, { headers: { cookie } }).then(async answer => ({ status: answer.status, ms: Date.now() - started, body: await answer.text() })),
      ]))
      for (const answer of down) {
        expect(answer.status).toBe(503)
        expect(answer.ms).toBeLessThan(3500)
        expect(JSON.parse(answer.body).message).toMatch(/Nitro storage mount "cms-auth" \(cmsAuth.storage\) did not answer/)
      }
      // A page renders logged out (the middleware sends it to the login route), with no driver text in it.
      const page = await fetch(`${bases[1]}/members`, { headers: { cookie } })
      const html = await page.text()
      expect(page.url).toMatch(/\/login\?redirect=/)
      expect(html).not.toMatch(/ECONNREFUSED|Connection is closed|max retries|ioredis|Stream isn't writeable|enableOfflineQueue/i)
      // The session was not destroyed: the page did not clear the cookie.
      expect(sessionCookieOf(page)).toBeUndefined()
    }
    finally {
      children.unshift(await startRedis(redisPort, redisDir))
    }
    await expect.poll(async () => (await members_(bases[0]!, cookie)).status, { timeout: 10_000, interval: 250 }).toBe(200)
    expect(await members_(bases[1]!, cookie).then(answer => answer.json())).toMatchObject({ name: 'User 3' })
  })

  it('refuses to start a production server without a session password', async () => {
    const port = await freePort()
    const start = startListening(process.execPath, [serverEntry()], port, { env: { ...process.env, ...env, NUXT_CMS_AUTH_SESSION_PASSWORD: 'too-short', PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' } })
    await expect(start).rejects.toThrow(/NUXT_CMS_AUTH_SESSION_PASSWORD has 9 characters; it needs at least 32/)
  })
})

// test/e2e/runtime-env.test.ts does the same for a build whose only session API is a cookie one.
describe('a server-held session API\'s runtime keys, given to the built server at start', () => {
  const children: ChildProcess[] = []
  const start = async (variables: Record<string, string>) => {
    const port = await freePort()
    children.push(await startListening(process.execPath, [serverEntry()], port, { env: { ...process.env, ...env, ...variables, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' } }))
    return `http://127.0.0.1:${port}`
  }
  const loginAt = (base: string) => fetch(`${base}${SESSION}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
  afterAll(async () => {
    for (const child of children)
      await stopProcess(child)
  })

  it('logs in and proxies at NUXT_CMS_AUTH_APIS_MEMBER_SERVER_BASE_URL, the CMS this server was started with', async () => {
    const other = await listenMockCms()
    try {
      const base = await start({ NUXT_CMS_AUTH_APIS_MEMBER_SERVER_BASE_URL: `${other.url}/kuroco/rcms-api/3` })
      const login = await loginAt(base)
      expect(login.status).toBe(200)
      const cookie = sessionCookieOf(login)!.split(';')[0]!
      expect(await $fetch(`${base}/api/_cms/memberServer/content/members`, { headers: { cookie } })).toMatchObject({ name: 'User 1' })
      expect([other.state.counters['kuroco.login'], other.state.counters['kuroco.members.content']]).toEqual([1, 1])
      expect(cms.state.requests).toEqual([])
    }
    finally {
      await other.close()
    }
  })

  it('bounds each storage call by NUXT_CMS_AUTH_STORAGE_TIMEOUT (300 ms here, 2000 by default) when its Redis takes commands and never answers', async () => {
    const sockets: Socket[] = []
    const silent = createServer(socket => void sockets.push(socket))
    const port = await freePort()
    await new Promise<void>(resolve => silent.listen(port, '127.0.0.1', resolve))
    try {
      const base = await start({ NUXT_REDIS_URL: `redis://127.0.0.1:${port}`, NUXT_CMS_AUTH_STORAGE_TIMEOUT: '300' })
      const started = Date.now()
      const login = await loginAt(base)
      const elapsed = Date.now() - started
      expect(login.status).toBe(503)
      expect((await login.json()).message).toMatch(/^Nitro storage mount "cms-auth" \(cmsAuth.storage\) did not answer/)
      // The CMS answered the login; writing the session record met the bound.
      expect(cms.state.counters['kuroco.login']).toBe(1)
      expect(elapsed).toBeGreaterThanOrEqual(300)
      expect(elapsed).toBeLessThan(1500)
      // A session whose record could not be written is no session: no cookie names it, none says it ended.
      expect(login.headers.getSetCookie().filter(cookie => /^cms_auth_memberServer(?:_ended)?=[^;]/.test(cookie))).toEqual([])
    }
    finally {
      // The server first, so its Redis client does not connect again while the listener closes.
      await stopProcess(children.pop())
      for (const socket of sockets)
        socket.destroy()
      await new Promise(resolve => silent.close(resolve))
    }
  })
})

describe('an SSR render whose session refresh the CMS rate limits', () => {
  /** Logs member 1 in to directusServer, makes its next refresh fail as `failRefresh` says, and renders its page. */
  async function renderAfterFailedRefresh(failRefresh: '429' | 'reject') {
    const login = await fetch(url('/api/_cms/_session/directusServer/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    const cookie = login.headers.getSetCookie().find(header => header.startsWith('cms_auth_directusServer='))!.split(';')[0]!
    await knobs({ failRefresh })
    await expireAtCms()
    const response = await fetchPage('/directus-members', { headers: { cookie } })
    const html = await response.text()
    const shown = JSON.parse(html.match(/<pre id="fetch-error">([^<]*)<\/pre>/)![1]!.replaceAll('&quot;', '"'))
    const cleared = response.headers.getSetCookie().some(header => header.startsWith('cms_auth_directusServer=') && /Max-Age=0/.test(header))
    return { cookie, response, html, shown, cleared }
  }

  it('gets a 429 fetch error with the CMS\'s Retry-After, never the CMS\'s answer, and stays logged in', async () => {
    const { cookie, response, html, shown, cleared } = await renderAfterFailedRefresh('429')
    expect(response.status).toBe(200)
    expect(shown).toEqual({ statusCode: 429, message: expect.stringContaining('The CMS is rate limiting session renewals; try again later.'), data: { statusCode: 429, message: 'The CMS is rate limiting session renewals; try again later.', retryAfter: '30' } })
    expect(html).toMatch(/<p id="status">\s*logged-in/)
    expect(html).not.toMatch(/TOKEN_EXPIRED|REQUESTS_EXCEEDED|Token expired|retry after 30s/)
    expect(cleared).toBe(false)
    expect(cms.state.counters['directus.refresh']).toBe(1)
    // Once the CMS lets refreshes through again, the same cookie renders the member's data.
    await knobs({ failRefresh: '' })
    const again = await fetchPage('/directus-members', { headers: { cookie } }).then(page => page.text())
    expect(again).toMatch(/<pre id="fetch-error"><\/pre>/)
    expect(again).toContain('User 1')
  })

  it('asks the CMS to renew a due token once per render while it rate limits, not again in the page\'s call', async () => {
    // A 2 s token (Directus's `expires` is a TTL in ms): due after half its life, at render time.
    await knobs({ accessTtl: 2 })
    const login = await fetch(url('/api/_cms/_session/directusServer/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    const cookie = login.headers.getSetCookie().find(header => header.startsWith('cms_auth_directusServer='))!.split(';')[0]!
    await knobs({ failRefresh: '429' })
    await new Promise(resolve => setTimeout(resolve, 1100))
    const html = await fetchPage('/directus-members', { headers: { cookie } }).then(page => page.text())
    expect(JSON.parse(html.match(/<pre id="fetch-error">([^<]*)<\/pre>/)![1]!.replaceAll('&quot;', '"'))).toMatchObject({ statusCode: 429, data: { retryAfter: '30' } })
    expect(cms.state.counters['directus.refresh']).toBe(1)
  })

  it('names the proxy route in a CMS error, never the CMS\'s address, which only the server knows', async () => {
    // A visitor without a session: Directus refuses /items/members, and SSR called it directly.
    const html = await fetchPage('/directus-members').then(page => page.text())
    const shown = JSON.parse(html.match(/<pre id="fetch-error">([^<]*)<\/pre>/)![1]!.replaceAll('&quot;', '"'))
    expect(shown.statusCode).toBeGreaterThanOrEqual(400)
    expect(shown.message).toContain('"/api/_cms/directusServer/items/members"')
    expect(html).not.toContain(cms.url)
  })

  it('gets the session\'s end as its fetch error when the CMS refuses the refresh, and the session cookie is cleared', async () => {
    const { html, shown, cleared } = await renderAfterFailedRefresh('reject')
    expect(shown).toMatchObject({ statusCode: 401, message: 'The session has ended; log in again.' })
    expect(html).not.toMatch(/TOKEN_EXPIRED|INVALID_CREDENTIALS|Token expired/)
    expect(cleared).toBe(true)
  })
})

describe('a CMS rate limiting cookie-mode logins through the proxy', () => {
  it('answers 429 with a Retry-After computed from the CMS\'s X-RateLimit-Reset, as the other logins do', async () => {
    await knobs({ loginLimit: 1 })
    const login = () => fetch(url('/api/_cms/_session/memberCookie/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
    expect((await login()).status).toBe(200)
    const limited = await login()
    expect(limited.status).toBe(429)
    // The mock sends no Retry-After, only the seconds left until its limit resets (37).
    expect(limited.headers.get('retry-after')).toBe('37')
    expect(await limited.json()).toEqual({ statusCode: 429, message: 'The CMS is rate limiting logins from this site; try again later.' })
    expect(cms.state.counters['kuroco-cookie.login']).toBe(2)
  })
})
