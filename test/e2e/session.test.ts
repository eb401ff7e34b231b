import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
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
    const renewed = sessionCookieOf(response)!.split(';')[0]!
    expect(renewed).not.toBe(cookie)
    // The new cookie works without another refresh.
    expect(await $fetch(url('/api/_cms/memberServer/content/members'), { headers: { cookie: renewed } })).toMatchObject({ name: 'User 1' })
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
      await page.click('#burst')
      // The proxied answers carried `x-cms-auth-session: ended`: no reload, no login attempt in between.
      await page.waitForURL(/\/login\?redirect=(?:%2F|\/)members$/)
      expect(refreshes()).toBeGreaterThanOrEqual(1)
      // Every request of the burst is answered before the next test resets the mock's counters.
      await expect.poll(() => answered, { timeout: 10_000 }).toBe(20)
      expect((await context.cookies()).find(c => c.name === COOKIE)).toBeUndefined()
    }
    finally {
      await context.close()
    }
  })
})

describe('two server instances on one redis-server', () => {
  it('spends a rotating refresh token once for 100 concurrent requests of one session split across both', async () => {
    const server = serverEntry()
    const [redisPort, portA, portB] = [await freePort(), await freePort(), await freePort()]
    const children: ChildProcess[] = []
    try {
      children.push(await startListening('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], redisPort))
      const instanceEnv = { ...process.env, ...env, CMS_AUTH_REDIS_URL: `redis://127.0.0.1:${redisPort}`, NODE_ENV: 'production' }
      children.push(await startListening(process.execPath, [server], portA, { env: { ...instanceEnv, PORT: String(portA), HOST: '127.0.0.1' } }))
      children.push(await startListening(process.execPath, [server], portB, { env: { ...instanceEnv, PORT: String(portB), HOST: '127.0.0.1' } }))
      const bases = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]

      const cookie = await logIn(4, bases[0])
      // A slow refresh widens the window in which the other instance's requests pile up.
      await knobs({ refreshDelay: 300 })
      await expireAtCms()
      const responses = await Promise.all(Array.from({ length: 100 }, async (_, i) => {
        const response = await fetch(`${bases[i % 2]}/api/_cms/memberServer/content/members`, { headers: { cookie } })
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
    }
    finally {
      for (const child of children.reverse())
        await stopProcess(child)
    }
  })

  it('refuses to start a production server without a session password', async () => {
    const port = await freePort()
    const start = startListening(process.execPath, [serverEntry()], port, { env: { ...process.env, ...env, NUXT_CMS_AUTH_SESSION_PASSWORD: 'too-short', PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' } })
    await expect(start).rejects.toThrow(/NUXT_CMS_AUTH_SESSION_PASSWORD has 9 characters; it needs at least 32/)
  })
})
