import { fetch as fetchPage, url } from '@nuxt/test-utils/e2e'
import { joinURL } from 'ufo'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mockTokens } from '../mock-cms/tokens'
import { chromiumLaunch } from './chromium'

/**
 * What `npm run playground` must show a new user, for a playground built by the calling test
 * file's `setup()` with `app.baseURL` = `base`: each content page rendered on the server from
 * the mock CMS it serves itself, no write key in any page, and the login demos in Chromium.
 */
export function describePlayground(base: string): void {
  const at = (path: string) => url(joinURL(base, path))
  const fetchAt = (path: string) => fetchPage(joinURL(base, path))
  let browser: Browser
  beforeAll(async () => {
    browser = await chromium.launch(chromiumLaunch)
  })
  afterAll(async () => {
    await browser?.close()
  })

  /** Vue sets `__vue_app__` on the mount element once the app has hydrated: the form listens then. */
  const hydrated = (page: Page) => page.waitForFunction(() => Boolean((document.querySelector('#__nuxt') as { __vue_app__?: unknown } | null)?.__vue_app__))

  describe(`playground at ${base}`, () => {
    it.each([
      ['/news', 'Kuroco news (static token)'],
      ['/open-news', 'Kuroco'],
      ['/blog', 'microCMS'],
      ['/articles', 'Directus'],
      ['/contact', 'microCMS through the proxy'],
    ])('renders %s on the server with content from the mock CMS', async (path, title) => {
      const response = await fetchAt(path)
      expect(response.status).toBe(200)
      const html = await response.text()
      expect(html).toContain(title)
      // ContentList renders one <li> per item the CMS sent.
      expect(html).toMatch(/<li[^>]*>[^<]+<\/li>/)
    })

    it('shows the security-none page as what it is: open news, nothing about a token', async () => {
      const html = await (await fetchAt('/open-news')).text()
      expect(html).toContain('Open news: this API needs no credential')
      expect(html).not.toMatch(/token reached/i)
    })

    it('keeps the write key out of every page it serves', async () => {
      const pages = await Promise.all(['/', '/contact', '/cookie/login', '/server/login', '/login'].map(path => fetchAt(path).then(response => response.text())))
      for (const html of pages)
        expect(html).not.toContain(mockTokens.microcmsWrite)
    })

    it('runs the cookie-session demo in Chromium: server-rendered members page, no CMS cookie for scripts, renewal, logout', async () => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(at('/cookie/members'))
        await page.waitForURL(/\/cookie\/login\?redirect=/)
        await hydrated(page)
        await page.click('button[type="submit"]')
        await page.waitForURL(/\/cookie\/members$/)
        await page.waitForSelector('li:has-text("Cookie-session news for Demo Member")')
        await page.waitForSelector('[data-testid="token-check"]:has-text("No memberCookie token")')
        const cookies = await context.cookies()
        expect(cookies.find(cookie => cookie.name.endsWith('_kuroco_session'))?.path).toBe(joinURL(base, '/api/_cms'))
        expect(cookies.find(cookie => cookie.name.endsWith('.ssr'))?.path).toBe(base)
        // A reload is rendered by the server, logged in, from the sealed copy.
        const html = await (await page.reload())!.text()
        expect(html).toContain('Cookie-session news for Demo Member')
        await hydrated(page)
        await page.click('button:has-text("Let the CMS renew the session id")')
        await page.waitForSelector('li:has-text("the CMS renewed the session id")')
        expect(await (await page.reload())!.text()).toContain('Cookie-session news for Demo Member')
        await hydrated(page)
        await page.click('button:has-text("Log out")')
        await page.waitForURL(/\/cookie\/login/)
        expect((await context.cookies()).filter(cookie => /^cms_[0-9a-f]{8}[_.]/.test(cookie.name))).toEqual([])
      }
      finally {
        await context.close()
      }
    })

    it('fetches in the browser after client-side navigation: a direct API on an app path, and a write through the proxy', async () => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(at('/'))
        await hydrated(page)
        await page.click('a[href$="/news"]')
        await page.waitForSelector('li:has-text("Kuroco")')
        await page.goto(at('/contact'))
        await hydrated(page)
        await page.click('form button[type="submit"]')
        await page.waitForSelector('text=/The CMS stored inquiry inquiry-\\d+/')
        await page.click('#forbidden')
        await page.waitForSelector('#refused:has-text("405")')
      }
      finally {
        await context.close()
      }
    })

    it.each(['/login', '/server/login', '/cookie/login'])('says why %s refused a wrong password: the module\'s message and reason, as in every login mode', async (path) => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(at(path))
        await hydrated(page)
        await page.fill('input[name="password"]', 'wrong-password')
        await page.click('button[type="submit"]')
        const error = await (await page.waitForSelector('.error'))!.textContent()
        expect(error).toMatch(/^\[nuxt-cms-auth\] .*401.* \(reason: rejected\)$/)
        expect(error).not.toContain('[POST]')
      }
      finally {
        await context.close()
      }
    })

    it('runs the server-held session demo: login, server-rendered members page', async () => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(at('/server/login'))
        await hydrated(page)
        await page.click('button[type="submit"]')
        await page.waitForURL(/\/server\/members$/)
        await page.waitForSelector('[data-testid="token-check"]:has-text("No memberServer token")')
        expect(await (await page.reload())!.text()).toContain('Demo Member')
      }
      finally {
        await context.close()
      }
    })
  })
}
