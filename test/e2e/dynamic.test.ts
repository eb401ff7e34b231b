import { fetch as fetchPage, setup, url } from '@nuxt/test-utils/e2e'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { decodeTokenCookie, encodeTokenCookie, readCookie } from '../../src/runtime/core/tokens/token-cookie'
import type { TokenSet } from '../../src/runtime/core/tokens/tokens'
import { members } from '../mock-cms/members'
import { mockControls } from '../mock-cms/controls'
import { listenMockCms } from '../mock-cms/listen'
import { chromiumLaunch } from '../utils/chromium'
import { fixtureDir } from '../utils/fixtures'
import { createNodeSession } from '../utils/node-session'

// `member` is Kuroco api_id 3 (dynamic access token) on a real mock CMS; the built server gets its
// address at runtime. Counters at the mock say how many refreshes really reached the CMS.
const cms = await listenMockCms()
const memberApi = `${cms.url}/kuroco/rcms-api/3`

await setup({
  rootDir: fixtureDir('dynamic'),
  server: true,
  browser: false,
  env: { NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_BASE_URL: memberApi, NUXT_PUBLIC_CMS_AUTH_APIS_CREW_BASE_URL: `${cms.url}/nocobase/api` },
})

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

/** Logs a member in straight at the mock CMS and returns the tokens the module's cookie would hold. */
async function loginAtCms(n: number): Promise<TokenSet> {
  const { session, storage } = createNodeSession('kuroco', memberApi)
  await session.login({ email: members[n]!.email, password: members[n]!.password })
  return storage.tokens()!
}
const cookieOf = (tokens: TokenSet) => `cms_auth_member=${encodeTokenCookie(tokens)}`
const setCookieOf = (response: Response) => response.headers.getSetCookie().find(cookie => cookie.startsWith('cms_auth_member='))

describe('SSR with dynamic tokens', () => {
  it('refreshes an expired access token once on the server and sends the new tokens in Set-Cookie', async () => {
    const tokens = await loginAtCms(1)
    await expireAtCms()
    const response = await fetchPage('/members', { headers: { cookie: cookieOf({ ...tokens, expiresAt: Date.now() - 1000 }) } })
    const html = await response.text()
    expect(response.status).toBe(200)
    expect(html).toContain('<p id="user">User 1</p>')
    expect(html).toContain('Members-only news for User 1')
    expect(refreshes()).toBe(1)
    const renewed = decodeTokenCookie(readCookie(setCookieOf(response)?.split(';')[0], 'cms_auth_member'))
    expect(renewed?.accessToken).toBeTruthy()
    expect(renewed!.accessToken).not.toBe(tokens.accessToken)
    expect(renewed!.refreshToken).not.toBe(tokens.refreshToken)
    // The payload carries the state the page shows, never a token.
    expect(html).not.toContain(renewed!.accessToken)
    expect(html).not.toContain(renewed!.refreshToken)
  })

  it('spends a rotating refresh token once when two page requests of one browser both find the token expired', async () => {
    const tokens = await loginAtCms(3)
    await expireAtCms()
    // A slow refresh, so the second request arrives while the first one's is running.
    await knobs({ refreshDelay: 300 })
    const cookie = cookieOf({ ...tokens, expiresAt: Date.now() - 1000 })
    const [first, second] = await Promise.all([fetchPage('/members', { headers: { cookie } }), fetchPage('/members', { headers: { cookie } })])
    for (const response of [first, second])
      expect(await response.text()).toContain('<p id="user">User 3</p>')
    expect(refreshes()).toBe(1)
    expect(cms.state.counters['kuroco.refresh.rejected']).toBeUndefined()
    const renewed = [first, second].map(response => decodeTokenCookie(readCookie(setCookieOf(response)?.split(';')[0], 'cms_auth_member')))
    expect(renewed[0]!.refreshToken).not.toBe(tokens.refreshToken)
    expect(renewed[1]).toEqual(renewed[0])
    // A request still carrying the old cookie just after gets the same new tokens, not a logout.
    const late = await fetchPage('/members', { headers: { cookie } })
    expect(await late.text()).toContain('<p id="user">User 3</p>')
    expect(refreshes()).toBe(1)
  })

  it('logs out and redirects to the login route when the CMS rejects the refresh token', async () => {
    const tokens = await loginAtCms(1)
    await knobs({ failRefresh: 'reject' })
    const response = await fetchPage('/members', { headers: { cookie: cookieOf({ ...tokens, expiresAt: Date.now() - 1000 }) }, redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirect=/members')
    expect(setCookieOf(response)).toMatch(/^cms_auth_member=;.*Max-Age=0/)
    expect(refreshes()).toBe(1)
  })

  it('stays logged in without refreshing when the token is fresh', async () => {
    const tokens = await loginAtCms(2)
    const response = await fetchPage('/members', { headers: { cookie: cookieOf(tokens) } })
    expect(await response.text()).toContain('<p id="user">User 2</p>')
    expect(refreshes()).toBe(0)
    expect(setCookieOf(response)).toBeUndefined()
  })

  it('renders 50 concurrent requests from 5 users, each with only its own user', async () => {
    const cookies = await Promise.all([1, 2, 3, 4, 5].map(async n => [n, cookieOf(await loginAtCms(n))] as const))
    const requests = Array.from({ length: 50 }, (_, i) => cookies[i % 5]!)
    const pages = await Promise.all(requests.map(async ([n, cookie]) => [n, await (await fetchPage('/members', { headers: { cookie } })).text()] as const))
    for (const [n, html] of pages) {
      expect(html).toContain(`<p id="user">User ${n}</p>`)
      expect(html).toContain(`Members-only news for User ${n}`)
      for (const other of [1, 2, 3, 4, 5].filter(o => o !== n))
        expect(html).not.toContain(`User ${other}`)
    }
  })
})

describe('dynamic tokens in Chromium', () => {
  let context: BrowserContext
  beforeEach(async () => {
    context = await browser.newContext()
  })
  afterAll(() => context?.close())

  async function logIn(n = 1) {
    const page = await context.newPage()
    await page.goto(url('/members'))
    await page.waitForURL(/\/login\?redirect=/)
    await page.waitForSelector('#login[data-hydrated=true]')
    await page.fill('#email', members[n]!.email)
    await page.fill('#password', members[n]!.password)
    await page.click('#submit')
    await page.waitForURL(/\/members$/)
    await page.waitForSelector(`#user:has-text("User ${n}")`)
    return page
  }

  async function openMembersPage(user: string) {
    const page = await context.newPage()
    await page.goto(url('/members'))
    await page.waitForSelector(`#user:has-text("${user}")`)
    await page.waitForSelector('[data-hydrated=true]')
    return page
  }

  it('logs in through the login page and lands on the members page it was sent from', async () => {
    const page = await logIn(1)
    expect(await page.textContent('#content')).toBe('Members-only news for User 1')
    const cookie = (await context.cookies()).find(c => c.name === 'cms_auth_member')
    expect(decodeTokenCookie(cookie?.value)?.refreshToken).toBeTruthy()
    expect(cookie?.sameSite).toBe('Lax')
    expect(cms.state.counters['kuroco.login']).toBe(1)
  })

  it('refreshes during SSR only: the browser hydrates with the new cookie and does not refresh again', async () => {
    const tokens = await loginAtCms(3)
    await expireAtCms()
    await context.addCookies([{ name: 'cms_auth_member', value: encodeTokenCookie({ ...tokens, expiresAt: Date.now() - 1000 }), url: url('/') }])
    const page = await openMembersPage('User 3')
    await page.waitForLoadState('networkidle')
    await page.click('#burst')
    await page.waitForSelector('#burst-result:not(:empty)')
    expect(await page.textContent('#burst-result')).toBe('20/20')
    expect(refreshes()).toBe(1)
    const cookie = (await context.cookies()).find(c => c.name === 'cms_auth_member')
    expect(decodeTokenCookie(cookie?.value)!.accessToken).not.toBe(tokens.accessToken)
  })

  it('asks the CMS for the user once the app is mounted on a page the server did not render', async () => {
    const tokens = await loginAtCms(2)
    await context.addCookies([{ name: 'cms_auth_member', value: encodeTokenCookie(tokens), url: url('/') }])
    const page = await context.newPage()
    await page.goto(url('/spa/user'))
    await page.waitForSelector('#spa-user:has-text("User 2")')
    await page.waitForLoadState('networkidle')
    expect(cms.state.counters['kuroco.profile']).toBe(1)
  })

  it('sends 20 concurrent requests after the token expired: 1 refresh at the CMS, all 20 succeed', async () => {
    const page = await logIn(1)
    await expireAtCms()
    await page.click('#burst')
    await page.waitForSelector('#burst-result:not(:empty)')
    expect(await page.textContent('#burst-result')).toBe('20/20')
    expect(refreshes()).toBe(1)
  })

  it('refreshes once for two tabs after expiry, and both keep working', async () => {
    const tabA = await logIn(1)
    const tabB = await openMembersPage('User 1')
    // A slow refresh, so tab B's requests arrive while tab A's refresh is still running.
    await knobs({ refreshDelay: 500 })
    await expireAtCms()
    await Promise.all([tabA.click('#burst'), tabB.click('#burst')])
    for (const tab of [tabA, tabB]) {
      await tab.waitForSelector('#burst-result:not(:empty)')
      expect(await tab.textContent('#burst-result')).toBe('20/20')
    }
    expect(refreshes()).toBe(1)
  })

  it('goes to the login page when the CMS rejects the refresh token in the browser', async () => {
    const page = await logIn(1)
    await knobs({ failRefresh: 'reject' })
    await expireAtCms()
    await page.click('#burst')
    await page.waitForURL(/\/login\?redirect=(%2F|\/)members$/)
    expect(await page.textContent('#status')).toBe('logged-out')
    expect((await context.cookies()).find(c => c.name === 'cms_auth_member')).toBeUndefined()
    expect(refreshes()).toBe(1)
  })

  it('keeps a second dynamic API apart: NocoBase in memory, renewed through x-new-token', async () => {
    const page = await context.newPage()
    await page.goto(url('/crew'))
    await page.waitForSelector('[data-hydrated=true]')
    await page.click('#crew-login')
    await page.waitForSelector('#crew-user:has-text("User 4")')
    expect(await page.textContent('#crew-status')).toBe('logged-in')
    await expireAtCms()
    for (let i = 0; i < 2; i++) {
      await page.click('#crew-load')
      await page.waitForSelector('#crew-list:not(:empty)')
      expect(await page.textContent('#crew-list')).toBe('For User 4')
    }
    // Renewed once: the second load already used the token from x-new-token.
    expect(cms.state.counters['nocobase.refresh']).toBe(1)
    expect((await context.cookies()).map(c => c.name)).not.toContain('cms_auth_crew')
    await page.reload()
    expect(await page.textContent('#crew-status')).toBe('logged-out')
  })

  it('logs tab B in, with its user, when tab A logs in', async () => {
    const tabB = await context.newPage()
    await tabB.goto(url('/'))
    await tabB.waitForSelector('[data-hydrated=true]')
    expect(await tabB.textContent('#status')).toBe('logged-out')
    await logIn(2)
    await tabB.waitForSelector('#user:has-text("User 2")')
    expect(await tabB.textContent('#status')).toBe('logged-in')
  })

  it('logs tab B out when tab A logs out', async () => {
    const tabA = await logIn(1)
    const tabB = await openMembersPage('User 1')
    await tabA.click('#logout')
    await tabB.waitForURL(/\/login\?redirect=/)
    expect(await tabB.textContent('#status')).toBe('logged-out')
    expect(cms.state.counters['kuroco.logout']).toBe(1)
  })
})
