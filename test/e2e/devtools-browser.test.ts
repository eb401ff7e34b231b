import { $fetch as fetchApp, setup, url } from '@nuxt/test-utils/e2e'
import { $fetch } from 'ofetch'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeTokenCookie } from '../../src/runtime/core/tokens/token-cookie'
import { members } from '../mock-cms/members'
import { listenMockCms } from '../mock-cms/listen'
import { chromiumLaunch } from '../utils/chromium'
import { fixtureDir } from '../utils/fixtures'

// The dynamic fixture under `nuxi dev` in Chromium: the browser reports logins and refreshes to the
// DevTools route, which shows status, expiry and a timeline, and never a token.
const cms = await listenMockCms()
await setup({
  rootDir: fixtureDir('dynamic'),
  dev: true,
  server: true,
  browser: false,
  env: { NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_BASE_URL: `${cms.url}/kuroco/rcms-api/3`, NUXT_PUBLIC_CMS_AUTH_APIS_CREW_BASE_URL: `${cms.url}/nocobase/api` },
})

interface State {
  tokens: Record<string, { status?: string, expiresAt?: number | null }>
  timeline: { api: string, event: string }[]
}
const state = () => fetchApp<State>('/_cms-auth/devtools/state')

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunch)
})
afterAll(async () => {
  await browser?.close()
  await cms.close()
})

describe('DevTools token state from the browser in nuxi dev', () => {
  it('shows the login and a refresh on the timeline, status and expiry, and no token', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(url('/login?redirect=/members'))
    await page.waitForSelector('#login[data-hydrated=true]', { timeout: 60_000 })
    await page.fill('#email', members[1]!.email)
    await page.fill('#password', members[1]!.password)
    await page.click('#submit')
    await page.waitForSelector('#user:has-text("User 1")', { timeout: 60_000 })

    await expect.poll(async () => (await state()).tokens.member?.status, { timeout: 10_000 }).toBe('logged-in')
    const loggedIn = await state()
    expect(loggedIn.tokens.member!.expiresAt).toBeGreaterThan(Date.now())
    expect(loggedIn.timeline).toContainEqual(expect.objectContaining({ api: 'member', event: 'login' }))

    await $fetch(`${cms.url}/__mock/expire-access`, { method: 'POST' })
    await page.waitForSelector('[data-hydrated=true]')
    await page.click('#burst')
    await page.waitForSelector('#burst-result:has-text("20/20")')
    await expect.poll(async () => (await state()).timeline.map(event => event.event), { timeout: 10_000 }).toContain('refresh')

    const tokens = decodeTokenCookie((await context.cookies()).find(cookie => cookie.name === 'cms_auth_member')?.value)!
    const shown = JSON.stringify(await state()) + await fetchApp<string>('/_cms-auth/devtools')
    expect(tokens.accessToken).toBeTruthy()
    expect(shown).not.toContain(tokens.accessToken)
    expect(shown).not.toContain(tokens.refreshToken!)
    await context.close()
  })
})
