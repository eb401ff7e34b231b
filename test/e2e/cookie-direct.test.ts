import { fetch as fetchPage, setup, url } from '@nuxt/test-utils/e2e'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { members } from '../mock-cms/members'
import { listenMockCms } from '../mock-cms/listen'
import { chromiumLaunch } from '../utils/chromium'
import { fixtureDir } from '../utils/fixtures'
import { submitLoginForm } from '../utils/login-form'

// Kuroco api_ids 6 and 7 with cookie security, called directly. The mock CMS runs on 127.0.0.1
// like the app, on another port: cookies ignore ports, so its host-only `kuroco_session` is
// same-site for the app and reaches page requests too, as a CMS on the app's registrable domain
// (`Domain=.example.com`) would. The mock rotates the session id on every `GET /profile`.
const cms = await listenMockCms()
await setup({
  rootDir: fixtureDir('cookie-direct'),
  server: true,
  browser: false,
  env: {
    NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_DIRECT_BASE_URL: `${cms.url}/kuroco/rcms-api/6`,
    NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_BLIND_BASE_URL: `${cms.url}/kuroco/rcms-api/7`,
  },
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

/** Logs member `n` in at the CMS, as the browser would; returns the `kuroco_session=…` pair. */
async function logInAtCms(n: number): Promise<string> {
  const response = await fetch(`${cms.url}/kuroco/rcms-api/6/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[n]!.email, password: members[n]!.password }) })
  expect(response.status).toBe(200)
  return response.headers.getSetCookie()[0]!.split(';')[0]!
}

const cmsCalls = () => cms.state.requests.filter(request => request.path.startsWith('/kuroco/rcms-api/'))
const sessionCookie = (response: Response) => response.headers.getSetCookie().find(cookie => cookie.startsWith('kuroco_session='))

describe('direct cookie mode during SSR', () => {
  it('renders a members page logged in from the visitor\'s CMS cookie, and the CMS gets only that cookie', async () => {
    const session = await logInAtCms(1)
    cms.state.requests.length = 0
    const appCookies = 'app_session=app-secret; cms_auth_memberServer=sealed-token; cms_0123abcd_kuroco_session=proxied; cms_0123abcd.ssr=sealed-copy; theme=dark'
    const response = await fetchPage('/members', { headers: { cookie: `${appCookies}; ${session}` } })
    const html = await response.text()
    expect(response.status).toBe(200)
    expect(html).toContain('<p id="user">User 1</p>')
    expect(html).toContain('Direct-cookie news for User 1')
    // The profile request carried the visitor's cookie; the content request the one the CMS rotated to.
    const calls = cmsCalls()
    expect(calls.map(call => call.path)).toEqual(['/kuroco/rcms-api/6/profile', '/kuroco/rcms-api/6/content/members'])
    expect(calls[0]!.headers.cookie).toBe(session)
    expect(calls[1]!.headers.cookie).toMatch(/^kuroco_session=direct-[\w-]+$/)
    expect(calls[1]!.headers.cookie).not.toBe(session)
    for (const leaked of ['app-secret', 'sealed-token', 'proxied', 'sealed-copy', 'theme'])
      expect(JSON.stringify(cms.state.requests)).not.toContain(leaked)
  })

  it('hands the CMS\'s renewed session cookie to the page response, as the CMS wrote it, and none of its other cookies', async () => {
    const session = await logInAtCms(2)
    const response = await fetchPage('/members', { headers: { cookie: session } })
    expect(await response.text()).toContain('Direct-cookie news for User 2')
    const renewed = sessionCookie(response)!
    expect(renewed).toMatch(/^kuroco_session=direct-[\w-]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax$/)
    // The cookie the page response sets is the one the CMS accepts now.
    expect(renewed.split(';')[0]).toBe(cmsCalls().at(-1)!.headers.cookie)
    expect(response.headers.getSetCookie().join('\n')).not.toContain('kuroco_tracker')
    const again = await fetchPage('/members', { headers: { cookie: renewed.split(';')[0]! } })
    expect(await again.text()).toContain('<p id="user">User 2</p>')
  })

  it('renders logged out without the cookie, sends a protected page to the login route, and does not ask the CMS', async () => {
    const home = await (await fetchPage('/', { headers: { cookie: 'app_session=app-secret' } })).text()
    expect(home).toContain('<p id="status">logged-out</p>')
    const members = await fetchPage('/members', { redirect: 'manual' })
    expect(members.status).toBe(302)
    expect(members.headers.get('location')).toBe('/login?redirect=/members')
    expect(cmsCalls()).toEqual([])
  })

  it('renders logged out when the CMS no longer accepts the cookie', async () => {
    const session = await logInAtCms(3)
    cms.reset()
    const response = await fetchPage('/members', { headers: { cookie: session }, redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(cmsCalls().map(call => call.path)).toEqual(['/kuroco/rcms-api/6/profile'])
  })

  it('sends the CMS no cookie at all for an API without cookie.names, and leaves the middleware to the browser', async () => {
    const session = await logInAtCms(4)
    cms.state.requests.length = 0
    const response = await fetchPage('/blind', { headers: { cookie: session }, redirect: 'manual' })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<p id="blind-user"></p>')
    // memberDirect (cookie.names) asked about the same cookie; memberBlind sent nothing.
    expect(cmsCalls().filter(call => call.path.startsWith('/kuroco/rcms-api/7/'))).toEqual([])
  })
})

describe('direct cookie mode in Chromium', () => {
  it('logs in against the CMS with credentials, renders members content, survives a reload through SSR, and logs out', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(url('/members'))
      await page.waitForURL(/\/login\?redirect=(?:%2F|\/)members$/)
      await submitLoginForm(page, 1)
      await page.waitForURL(/\/members$/)
      await page.waitForSelector('#content:has-text("Direct-cookie news for User 1")')
      expect(await page.textContent('#user')).toContain('User 1')

      // The browser itself called the CMS, cross-origin with its cookie; page scripts cannot read it.
      const login = cms.state.requests.find(request => request.method === 'POST' && request.path === '/kuroco/rcms-api/6/login')!
      expect(login.headers.origin).toBe(new URL(url('/')).origin)
      expect(cms.state.requests.find(request => request.path === '/kuroco/rcms-api/6/content/members')!.headers.cookie).toMatch(/^kuroco_session=direct-/)
      expect(await page.evaluate(() => document.cookie)).not.toContain('kuroco_session')
      expect((await context.cookies()).find(cookie => cookie.name === 'kuroco_session')).toMatchObject({ domain: '127.0.0.1', httpOnly: true, sameSite: 'Lax' })
      expect(await page.evaluate(() => (window as { cmsAuthEvents?: string[] }).cmsAuthEvents)).toEqual(['login:memberDirect'])

      // A reload is rendered by the server from the same cookie.
      const reloaded = await page.reload()
      expect(await reloaded!.text()).toContain('<p id="user">User 1</p>')
      await page.waitForSelector('[data-hydrated=true]')

      // A page the server did not render asks the CMS from the browser.
      await page.goto(url('/spa/members'))
      await page.waitForSelector('#spa-user:has-text("User 1")')

      await page.goto(url('/members'))
      await page.waitForSelector('[data-hydrated=true]')
      await page.click('#logout')
      await page.waitForSelector('#status:has-text("logged-out")')
      expect(cms.state.counters['kuroco-direct.logout']).toBe(1)
      expect((await context.cookies()).find(cookie => cookie.name === 'kuroco_session')).toBeUndefined()
    }
    finally {
      await context.close()
    }
  })

  it('lets the browser decide for an API without cookie.names, and sends a page whose session the CMS ended to the login route', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(url('/login?redirect=/blind'))
      await submitLoginForm(page, 2)
      // Sessions are shared by the api_ids of one upstream: api_id 7 sees the login made at 6,
      // and its useCmsAuth state follows before the middleware looks at it.
      await page.waitForURL(/\/blind$/)
      await page.waitForSelector('#blind-content:has-text("Direct-cookie news for User 2")')
      expect(await page.textContent('#blind-user')).toContain('User 2')
      // After a reload the server could not tell (no cookie.names); the browser asked the CMS.
      await page.reload()
      await page.waitForSelector('#blind-user:has-text("User 2")')
      expect(page.url()).toMatch(/\/blind$/)

      await page.goto(url('/members'))
      await page.waitForSelector('[data-hydrated=true]')
      cms.reset()
      await page.click('#reload')
      await page.waitForURL(/\/login\?redirect=(?:%2F|\/)members$/)
      expect(await page.evaluate(() => (window as { cmsAuthEvents?: string[] }).cmsAuthEvents)).toContain('logout:memberDirect')
    }
    finally {
      await context.close()
    }
  })
})
