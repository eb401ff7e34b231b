import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { $fetch as fetchHtml, fetch as fetchPage, setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runtimeEnvName } from '../../src/config/env-names'
import { encodeTokenCookie } from '../../src/runtime/core/tokens/token-cookie'
import { mockControls } from '../mock-cms/controls'
import { listenMockCms } from '../mock-cms/listen'
import { members } from '../mock-cms/members'
import type { RecordedRequest } from '../mock-cms/state'
import { mockTokens as keys } from '../mock-cms/tokens'
import { chromiumLaunch } from '../utils/chromium'
import { fixtureDir } from '../utils/fixtures'
import { createNodeSession } from '../utils/node-session'
import { startListening, stopProcess } from '../utils/processes'
import { freePort } from '../utils/raw-http'

// test/fixtures/presets: Payload, PocketBase, Storyblok, Contentful, Ghost, WordPress and Supabase
// in every mode each offers, against their sections of the mock CMS. The build knows no address and
// no key: the built server gets them all from its environment.
const cms = await listenMockCms()
const direct: Record<string, [path: string, token?: string]> = {
  stories: ['/storyblok/v2/cdn', keys.storyblokPublic],
  entries: ['/contentful/cdn/spaces/demo/environments/master', keys.contentful],
  posts: ['/ghost/ghost/api/content', keys.ghostContent],
  rows: ['/supabase', keys.supabase],
  reader: ['/pocketbase', keys.pocketbase],
  payloadMember: ['/payload'],
  pbMember: ['/pocketbase'],
  supabaseMember: ['/supabase', keys.supabase],
  payloadCookieDirect: ['/payload'],
}
const proxied: Record<string, [path: string, token?: string]> = {
  auditKey: ['/payload', keys.payloadAdmins],
  spaces: ['/storyblok/v1', keys.storyblokManagement],
  contentManagement: ['/contentful/cma/spaces/demo/environments/master', keys.contentfulManagement],
  ghostAdmin: ['/ghost/ghost/api/admin', keys.ghostAdmin],
  wpEditor: ['/wordpress', keys.wordpress],
  rowsAdmin: ['/supabase', keys.supabaseSecret],
  payloadServer: ['/payload'],
  pbServer: ['/pocketbase'],
  supabaseServer: ['/supabase', keys.supabase],
  payloadCookie: ['/payload'],
  wpMember: ['/wordpress'],
}
const env: Record<string, string> = { NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url') }
for (const [scope, apis] of [['public', direct], ['private', proxied]] as const) {
  for (const [name, [path, token]] of Object.entries(apis)) {
    env[runtimeEnvName(scope, name, 'baseURL')] = cms.url + path
    if (token)
      env[runtimeEnvName(scope, name, 'token')] = token
  }
}

await setup({ rootDir: fixtureDir('presets'), server: true, browser: false, env })

/** Keys that must never reach a browser: the server-only ones and what they become on the wire. */
const serverOnly = [keys.payloadAdmins, keys.storyblokManagement, keys.contentfulManagement, keys.ghostAdmin, keys.ghostAdmin.split(':')[1]!, keys.wordpress, btoa(keys.wordpress), keys.supabaseSecret]
const { knobs, expireAccess } = mockControls(cms)
const calls = (vendor: string, path?: string): RecordedRequest[] => cms.state.requests.filter(request => request.vendor === vendor && (!path || request.path.startsWith(path)))
const json = (request: RequestInit['body']) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: request })

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunch)
})
afterAll(async () => {
  await browser?.close()
  await cms.close()
})
beforeEach(() => cms.reset())

describe('static keys: public ones direct, secrets through the proxy', () => {
  it('renders every static API during SSR, each credential where its CMS reads it, and no server-only key in the page', async () => {
    const html = await fetchHtml<string>('/')
    for (const text of ['Published story', 'Contentful entry from the delivery API', 'Ghost post read with the Content API key', 'A public Supabase row', 'For Reader', 'Read by API User of admins', 'Draft story', 'Contentful entry from the management API', 'Ghost draft read with a signed Admin API token', 'For editor: a draft only they see', 'For User 5'])
      expect(html).toContain(text)
    expect(html).not.toContain('error ')
    for (const secret of serverOnly)
      expect(html).not.toContain(secret)

    expect(calls('storyblok', '/storyblok/v2/cdn/stories')[0]!.path).toContain(`token=${keys.storyblokPublic}`)
    expect(calls('contentful', '/contentful/cdn')[0]!.headers.authorization).toBe(`Bearer ${keys.contentful}`)
    expect(calls('ghost', '/ghost/ghost/api/content')[0]!.path).toContain(`key=${keys.ghostContent}`)
    expect(calls('supabase', '/supabase/rest/v1/posts')[0]!.headers).toMatchObject({ apikey: keys.supabase })
    expect(calls('supabase', '/supabase/rest/v1/posts')[0]!.headers.authorization).toBeUndefined()
    // PocketBase: the token with no scheme.
    expect(calls('pocketbase')[0]!.headers.authorization).toBe(keys.pocketbase)
    // The server's: Payload's collection-named key, Storyblok's token without a scheme, Contentful's
    // personal access token, WordPress's Basic, Supabase's secret key.
    expect(calls('payload', '/payload/api/audit-log')[0]!.headers.authorization).toBe(`admins API-Key ${keys.payloadAdmins}`)
    expect(calls('storyblok', '/storyblok/v1/')[0]!.headers.authorization).toBe(keys.storyblokManagement)
    expect(calls('contentful', '/contentful/cma')[0]!.headers.authorization).toBe(`Bearer ${keys.contentfulManagement}`)
    expect(calls('wordpress')[0]!.headers.authorization).toBe(`Basic ${btoa(keys.wordpress)}`)
    expect(calls('supabase', '/supabase/rest/v1/members')[0]!.headers.apikey).toBe(keys.supabaseSecret)
    const admin = calls('ghost', '/ghost/ghost/api/admin')[0]!.headers.authorization!
    expect(admin).toMatch(/^Ghost [\w-]+\.[\w-]+\.[\w-]+$/)
    const claims = JSON.parse(Buffer.from(admin.split('.')[1]!, 'base64url').toString())
    expect(claims).toMatchObject({ aud: '/admin/' })
    expect(claims.exp - claims.iat).toBe(300)
  })

  it('signs one Ghost Admin token for a burst of proxied calls and reuses it, never the key itself', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetchPage('/api/_cms/ghostAdmin/posts/')))
    expect(answers.map(answer => answer.status)).toEqual([200, 200, 200, 200, 200])
    expect(calls('ghost')).toHaveLength(5)
    expect(new Set(calls('ghost').map(request => request.headers.authorization)).size).toBe(1)
    expect(JSON.stringify(cms.state.requests)).not.toContain(keys.ghostAdmin.split(':')[1]!)
  })

  it('signs the Admin API token for the app\'s own server routes too (useCmsServerApi)', async () => {
    const answer = await fetchHtml<{ posts: { title: string }[] }>('/api/ghost-drafts')
    expect(answer.posts.map(post => post.title)).toContain('Ghost draft read with a signed Admin API token')
    expect(calls('ghost')[0]!.headers.authorization).toMatch(/^Ghost [\w-]+\.[\w-]+\.[\w-]+$/)
  })

  it('sends WordPress only the server\'s Application Password, whatever Authorization the client sends, and creates a post as that user', async () => {
    const created = await fetchPage('/api/_cms/wpEditor/wp-json/wp/v2/posts', { ...json(JSON.stringify({ title: 'From the site', status: 'draft' })), headers: { 'content-type': 'application/json', 'authorization': `Basic ${btoa('intruder:guess')}` } })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ title: { rendered: 'From the site' }, author: 'editor' })
    expect(calls('wordpress').map(request => request.headers.authorization)).toEqual([`Basic ${btoa(keys.wordpress)}`])
    // Only the rules' methods pass: no DELETE.
    expect((await fetchPage('/api/_cms/wpEditor/wp-json/wp/v2/posts/1', { method: 'DELETE' })).status).toBe(405)
  })

  it('answers 500 naming the form of the key, and reaches nothing, when a deployment\'s Ghost Admin key is not one', async () => {
    const port = await freePort()
    const entry = join(useTestContext().nuxt!.options.nitro.output!.dir!, 'server/index.mjs')
    const server = await startListening(process.execPath, [entry], port, { env: { ...process.env, ...env, NUXT_CMS_AUTH_APIS_GHOST_ADMIN_TOKEN: 'content-key-by-mistake', PORT: String(port), HOST: '127.0.0.1' } })
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/api/_cms/ghostAdmin/posts/`)
      expect(answer.status).toBe(500)
      const body = await answer.text()
      expect(body).toContain('cmsAuth.apis.ghostAdmin: the token is not a Ghost Admin API key (<id>:<secret>')
      expect(body).not.toContain('content-key-by-mistake')
      expect(calls('ghost')).toEqual([])
    }
    finally {
      await stopProcess(server)
    }
  })

  it('lets the browser send public keys itself, and sends secrets through the proxy even from a browser', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(url('/'))
      await page.waitForLoadState('networkidle')
      await page.click('#to-browse')
      await page.waitForSelector('#browsed')
      await page.waitForSelector('#b-rows-admin:has-text("For User 5")')
      const html = await page.content()
      expect(html).toContain('Published story')
      expect(html).toContain('A public Supabase row')
      expect(html).toContain('Draft story')
      for (const secret of serverOnly)
        expect(html).not.toContain(secret)
      const fromBrowser = cms.state.requests.filter(request => /Chrome/.test(request.headers['user-agent'] ?? ''))
      expect(fromBrowser.find(request => request.path.startsWith('/storyblok/v2/cdn/stories'))!.path).toContain(`token=${keys.storyblokPublic}`)
      expect(fromBrowser.find(request => request.path === '/supabase/rest/v1/posts')!.headers.apikey).toBe(keys.supabase)
      // The secrets' requests come from the server (the proxy sends no User-Agent of the browser):
      // Supabase would refuse its secret key from a browser.
      expect(fromBrowser.filter(request => request.path.startsWith('/storyblok/v1') || request.path.startsWith('/supabase/rest/v1/members'))).toEqual([])
      expect(cms.state.counters['supabase.secretFromBrowser']).toBeUndefined()
    }
    finally {
      await context.close()
    }
  })
})

describe('logins the browser holds (direct dynamic mode)', () => {
  let context: BrowserContext
  beforeEach(async () => {
    context = await browser.newContext()
  })
  afterAll(() => context?.close())

  async function logIn(api: string, page: string, n: number, field = 'email'): Promise<Page> {
    const tab = await context.newPage()
    await tab.goto(url(`/login?api=${api}&field=${field}&redirect=${page}`))
    await tab.waitForSelector('#login[data-hydrated=true]')
    await tab.fill('#email', members[n]!.email)
    await tab.fill('#password', members[n]!.password)
    await tab.click('#submit')
    await tab.waitForURL(new RegExp(`${page}$`))
    await tab.waitForSelector(`#content:has-text("For User ${n}")`)
    await tab.waitForSelector('[data-hydrated=true]')
    return tab
  }

  it.each([
    { preset: 'payload', api: 'payloadMember', page: '/member/payload', field: 'email', refresh: '/payload/api/users/refresh-token', scheme: 'JWT ' },
    { preset: 'pocketbase', api: 'pbMember', page: '/member/pocketbase', field: 'identity', refresh: '/pocketbase/api/collections/users/auth-refresh', scheme: '' },
  ])('$preset: logs in, renews the due token with itself once for 20 requests, logs out', async ({ preset, api, page, field, refresh, scheme }) => {
    // 4 s tokens: due after 2 s (half their life).
    await knobs({ accessTtl: 4 })
    const tab = await logIn(api, page, 2, field)
    const first = calls(preset).find(request => request.headers.authorization?.startsWith(scheme) && request.headers.authorization.length > scheme.length)!.headers.authorization
    await tab.waitForTimeout(2200)
    await tab.click('#burst')
    await tab.waitForSelector('#burst-result:has-text("20/20")')
    expect(cms.state.counters[`${preset}.refresh`]).toBe(1)
    expect(calls(preset, refresh)[0]!.headers.authorization).toBe(first)
    expect(await tab.textContent('#status')).toBe('logged-in')
    await tab.click('#logout')
    await tab.waitForSelector('#status:has-text("logged-out")')
    if (preset === 'payload')
      expect(cms.state.counters['payload.logout']).toBe(1)
  })

  it('supabase: sends the publishable key beside the user\'s token on every request, and rotates the refresh token once for 20 requests', async () => {
    const tab = await logIn('supabaseMember', '/member/supabase', 3)
    await expireAccess()
    await tab.click('#burst')
    await tab.waitForSelector('#burst-result:has-text("20/20")')
    expect(cms.state.counters['supabase.refresh']).toBe(1)
    const fromBrowser = calls('supabase').filter(request => /Chrome/.test(request.headers['user-agent'] ?? '') && request.method !== 'OPTIONS')
    expect(fromBrowser.length).toBeGreaterThan(20)
    expect(fromBrowser.every(request => request.headers.apikey === keys.supabase)).toBe(true)
    expect(fromBrowser.filter(request => request.path.startsWith('/supabase/rest/v1/members')).every(request => request.headers.authorization?.startsWith('Bearer '))).toBe(true)
  })

  it('payload: renews a due token during SSR with the token itself and sends the new cookie', async () => {
    // 6 s tokens, due after half their life: the render has ~3 s to renew while the token is still
    // valid (it renews only itself), room enough on a loaded machine.
    await knobs({ accessTtl: 6 })
    const { session, storage } = createNodeSession('payload', `${cms.url}/payload`)
    await session.login({ email: members[4]!.email, password: members[4]!.password })
    const tokens = storage.tokens()!
    await new Promise(resolve => setTimeout(resolve, 3100))
    const response = await fetchPage('/member/payload', { headers: { cookie: `cms_auth_payloadMember=${encodeTokenCookie(tokens)}` } })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('For User 4')
    expect(cms.state.counters['payload.refresh']).toBe(1)
    expect(calls('payload', '/payload/api/users/refresh-token')[0]!.headers.authorization).toBe(`JWT ${tokens.accessToken}`)
    expect(response.headers.getSetCookie().find(cookie => cookie.startsWith('cms_auth_payloadMember='))).toBeTruthy()
  })
})

describe.each([
  { preset: 'payload', api: 'payloadServer', login: { email: 'user1@example.com', password: 'password-1' }, path: '/api/members', due: 'renewal' },
  { preset: 'pocketbase', api: 'pbServer', login: { identity: 'user1@example.com', password: 'password-1' }, path: '/api/collections/members/records', due: 'renewal' },
  { preset: 'supabase', api: 'supabaseServer', login: { email: 'user1@example.com', password: 'password-1' }, path: '/rest/v1/members', due: 'expired' },
])('$api: a login the server holds', ({ preset, api, login, path, due }) => {
  const route = `/api/_cms/_session/${api}`
  const cookieOf = (response: Response) => response.headers.getSetCookie().find(cookie => cookie.startsWith(`cms_auth_${api}=`))?.split(';')[0]

  it('logs in on the server, proxies with the token, renews once for concurrent requests, logs out; the browser gets no CMS token', async () => {
    // 4 s tokens: due after 2 s (half their life), while the session record (kept until the token expires) lives.
    if (due === 'renewal')
      await knobs({ accessTtl: 4 })
    const response = await fetchPage(`${route}/login`, json(JSON.stringify(login)))
    expect(response.status).toBe(200)
    const state = await response.json()
    expect(state).toMatchObject({ status: 'logged-in' })
    // Secret-like user fields never reach the page (Payload's resetPasswordToken and enableAPIKey).
    expect(JSON.stringify(state)).not.toMatch(/resetPasswordToken|enableAPIKey/)
    const cookie = cookieOf(response)!
    expect(JSON.stringify(await (await fetchPage(`/api/_cms/${api}${path}`, { headers: { cookie } })).json())).toContain('For User 1')

    if (due === 'renewal')
      await new Promise(resolve => setTimeout(resolve, 2100))
    else
      await expireAccess()
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetchPage(`/api/_cms/${api}${path}`, { headers: { cookie } })))
    expect(answers.map(answer => answer.status)).toEqual([200, 200, 200, 200, 200])
    expect((await Promise.all(answers.map(answer => answer.text()))).every(body => body.includes('For User 1'))).toBe(true)
    expect(cms.state.counters[`${preset}.refresh`]).toBe(1)
    if (preset === 'supabase')
      expect(calls('supabase').every(request => request.headers.apikey === keys.supabase)).toBe(true)

    const issued = calls(preset).map(request => request.headers.authorization?.replace(/^(?:JWT|Bearer) /, '')).filter(Boolean) as string[]
    expect(issued.length).toBeGreaterThan(0)
    const renewed = answers.map(cookieOf).find(Boolean) ?? cookie
    const logout = await fetchPage(`${route}/logout`, { method: 'POST', headers: { cookie: renewed } })
    expect(await logout.json()).toMatchObject({ status: 'logged-out' })
    for (const token of issued) {
      expect(JSON.stringify(state)).not.toContain(token)
      expect(response.headers.getSetCookie().join()).not.toContain(token)
    }
    if (preset !== 'pocketbase')
      expect(cms.state.counters[`${preset}.logout`]).toBe(1)
    // The session has ended for every copy of the cookie.
    expect((await fetchPage(`/api/_cms/${api}${path}`, { headers: { cookie: renewed } })).status).toBe(401)
  })

  it('answers a wrong password 401 and sets no cookie', async () => {
    const response = await fetchPage(`${route}/login`, json(JSON.stringify({ ...login, password: 'wrong' })))
    expect(response.status).toBe(401)
    expect(cookieOf(response)).toBeUndefined()
  })
})

describe('WordPress\'s login cookie and REST nonce, through the proxy', () => {
  const route = '/api/_cms/_session/wpMember'
  const pairs = (response: Response) => response.headers.getSetCookie().filter(cookie => /^cms_[0-9a-f]{8}_/.test(cookie)).map(cookie => cookie.split(';')[0]!)

  it('logs in with a form post to wp-login.php, asks for the nonce once, and sends it beside the cookie', async () => {
    const login = await fetchPage(`${route}/login`, json(JSON.stringify({ username: members[2]!.email, password: members[2]!.password })))
    expect(login.status).toBe(200)
    expect(await login.json()).toMatchObject({ status: 'logged-in', user: { name: 'User 2' } })
    const [form] = calls('wordpress', '/wordpress/wp-login.php')
    expect(form!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    const cookies = pairs(login)
    expect(cookies.map(pair => pair.split('=')[0]!.replace(/^cms_[0-9a-f]{8}_/, '')).sort()).toEqual(['wordpress_logged_in_5c016e8f0f95f039102cbe8366c5c7f3', 'wordpress_test_cookie', 'wp_rest_nonce'])
    const cookie = cookies.join('; ')
    const posts = await fetchPage('/api/_cms/wpMember/wp-json/wp/v2/posts', { headers: { cookie } })
    expect(JSON.stringify(await posts.json())).toContain('For User 2: a draft only they see')
    const nonce = cookies.find(pair => pair.includes('wp_rest_nonce='))!.split('=')[1]
    expect(calls('wordpress', '/wordpress/wp-json/wp/v2/posts')[0]!.headers['x-wp-nonce']).toBe(nonce)
    expect(cms.state.counters['wordpress.nonce']).toBe(1)
    // A browser whose nonce cookie is gone (12 hours later) gets a new one, asked by the server.
    const withoutNonce = cookies.filter(pair => !pair.includes('wp_rest_nonce=')).join('; ')
    const again = await fetchPage('/api/_cms/wpMember/wp-json/wp/v2/posts', { headers: { cookie: withoutNonce } })
    expect(JSON.stringify(await again.json())).toContain('For User 2')
    expect(cms.state.counters['wordpress.nonce']).toBe(2)
    // A page request carries only the sealed copy: SSR sends WordPress the cookie and the nonce from it.
    const copy = login.headers.getSetCookie().find(header => /^cms_[0-9a-f]{8}\.ssr=/.test(header))!.split(';')[0]!
    const page = await fetchPage('/cookie/wordpress', { headers: { cookie: copy } })
    const html = await page.text()
    expect(html).toContain('logged-in')
    expect(html).toContain('For User 2: a draft only they see')
    expect(html).not.toContain(nonce)
    expect(calls('wordpress', '/wordpress/wp-json/wp/v2/posts').at(-1)!.headers['x-wp-nonce']).toBe(nonce)
    const logout = await fetchPage(`${route}/logout`, { method: 'POST', headers: { cookie } })
    expect(await logout.json()).toMatchObject({ status: 'logged-out' })
    expect(logout.headers.getSetCookie().filter(header => /Max-Age=0/.test(header))).toHaveLength(3)
  })

  it('answers a wrong password 401 (WordPress answers its login form again) and hands out no login cookie', async () => {
    const login = await fetchPage(`${route}/login`, json(JSON.stringify({ username: members[2]!.email, password: 'wrong' })))
    expect(login.status).toBe(401)
    expect(pairs(login).filter(pair => pair.includes('wordpress_logged_in_'))).toEqual([])
    expect(cms.state.counters['wordpress.nonce']).toBeUndefined()
  })
})

describe('Payload\'s payload-token cookie', () => {
  const route = '/api/_cms/_session/payloadCookie'
  const cmsCookies = (response: Response) => response.headers.getSetCookie().filter(cookie => /^cms_[0-9a-f]{8}_payload-token=/.test(cookie))

  it('through the proxy: logs in on the server, keeps the cookie first-party, passes Payload\'s CSRF check with the configured Origin, logs out', async () => {
    await knobs({ payloadCsrf: ['https://app.example'] })
    const login = await fetchPage(`${route}/login`, json(JSON.stringify({ email: members[2]!.email, password: members[2]!.password })))
    expect(login.status).toBe(200)
    expect(await login.json()).toMatchObject({ status: 'logged-in', user: { name: 'User 2' } })
    const [own] = cmsCookies(login)
    expect(own).toMatch(/; Path=\/api\/_cms; .*HttpOnly/)
    const cookie = own!.split(';')[0]!
    const members2 = await fetchPage('/api/_cms/payloadCookie/api/members', { headers: { cookie } })
    expect(await members2.json()).toMatchObject({ docs: [{ title: 'For User 2' }] })
    const sent = calls('payload', '/payload/api/members')[0]!.headers
    expect(sent.origin).toBe('https://app.example')
    expect(sent.cookie).toMatch(/^payload-token=/)
    const logout = await fetchPage(`${route}/logout`, { method: 'POST', headers: { cookie } })
    expect(await logout.json()).toMatchObject({ status: 'logged-out' })
    expect(cms.state.counters['payload.logout']).toBe(1)
    expect(logout.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cms_[0-9a-f]{8}_payload-token=; /))
  })

  it('direct: renders logged in from the visitor\'s payload-token during SSR, and logged out (to the login route) when Payload answers { user: null }', async () => {
    const login = await fetch(`${cms.url}/payload/api/users/login`, json(JSON.stringify({ email: members[3]!.email, password: members[3]!.password })))
    const token = (await login.json()).token as string
    const page = await fetchPage('/cookie/payload-direct', { headers: { cookie: `payload-token=${token}` } })
    const html = await page.text()
    expect(html).toContain('logged-in')
    expect(html).toContain('For User 3')
    expect(calls('payload', '/payload/api/users/me')[0]!.headers.cookie).toBe(`payload-token=${token}`)
    await expireAccess()
    const after = await fetchPage('/cookie/payload-direct', { headers: { cookie: `payload-token=${token}` }, redirect: 'manual' })
    expect(after.status).toBe(302)
    expect(after.headers.get('location')).toMatch(/^\/login\?redirect=/)
  })
})
