import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { setup } from '@nuxt/test-utils/e2e'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { listenMockCms } from '../mock-cms/listen'
import { members } from '../mock-cms/members'
import { startBuiltServer } from '../utils/built-server'
import { fixtureDir } from '../utils/fixtures'
import { stopProcess } from '../utils/processes'

// One build (test/fixtures/runtime-env), several servers started from it, each with its own
// environment: whatever the server does with a runtime key must be the env value. The fixture's
// own values are a closed port and placeholders, and the mock accepts only the env tokens.
const newsToken = 'runtime-news-token-from-env'
const contactKey = 'runtime-contact-key-from-env'
const cms = await listenMockCms({ kuroco: newsToken, microcmsWrite: contactKey })
const password = randomBytes(32).toString('base64url')
const env = {
  NUXT_CMS_AUTH_SESSION_PASSWORD: password,
  NUXT_CMS_AUTH_APIS_MEMBER_BASE_URL: `${cms.url}/kuroco/rcms-api/4`,
  NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_BASE_URL: `${cms.url}/kuroco/rcms-api/1`,
  NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN: newsToken,
  NUXT_CMS_AUTH_APIS_CONTACT_BASE_URL: `${cms.url}/lab`,
  NUXT_CMS_AUTH_APIS_CONTACT_TOKEN: contactKey,
}

await setup({ rootDir: fixtureDir('runtime-env'), build: true, server: false, browser: false })

const servers: ChildProcess[] = []

/** Starts the built server with `variables` as its whole Nuxt environment; resolves with its address. */
async function startServer(variables: Record<string, string>): Promise<string> {
  const { base, child } = await startBuiltServer(variables)
  servers.push(child)
  return base
}

let main: Promise<string> | undefined
/** The server with every variable set, started once. */
const server = () => main ||= startServer(env)

afterAll(async () => {
  for (const child of servers)
    await stopProcess(child)
  await cms.close()
})
beforeEach(() => cms.reset())

const copyOf = (response: Response) => response.headers.getSetCookie().find(cookie => /^cms_[0-9a-f]{8}\.ssr=/.test(cookie))?.split(';')[0]

/** Logs member 1 in through the cookie API's session route; the sealed copy page requests carry. */
async function logIn(base: string): Promise<string> {
  const response = await fetch(`${base}/api/_cms/_session/member/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }) })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ status: 'logged-in', user: { name: 'User 1' } })
  return copyOf(response)!
}

describe('a build whose only session API is auth \'cookie\' with proxy', () => {
  it('starts with NUXT_CMS_AUTH_SESSION_PASSWORD, logs in at NUXT_CMS_AUTH_APIS_MEMBER_BASE_URL and renders the member from the sealed copy', async () => {
    const base = await server()
    const copy = await logIn(base)
    expect(cms.state.counters['kuroco-cookie.login']).toBe(1)
    const html = await fetch(`${base}/members`, { headers: { cookie: copy } }).then(page => page.text())
    expect(html).toMatch(/id="user"[^>]*>\s*User 1/)
    expect(html).toContain('Cookie-session news for User 1')
  })

  it('seals with the password of its own environment: a copy sealed under another one opens nothing', async () => {
    const copy = await logIn(await server())
    const other = await startServer({ ...env, NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url') })
    const page = await fetch(`${other}/members`, { headers: { cookie: copy }, redirect: 'manual' })
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toMatch(/^\/login\?redirect=/)
    expect(cms.state.counters['kuroco-cookie.members.content']).toBeUndefined()
  })

  it('refuses to start without NUXT_CMS_AUTH_SESSION_PASSWORD, and says which variable', async () => {
    const { NUXT_CMS_AUTH_SESSION_PASSWORD: _unset, ...withoutPassword } = env
    await expect(startServer(withoutPassword)).rejects.toThrow(/NUXT_CMS_AUTH_SESSION_PASSWORD is not set/)
  })

  it('bounds each storage call by NUXT_CMS_AUTH_STORAGE_TIMEOUT (300 ms here, 2000 by default)', async () => {
    const base = await startServer({ ...env, NUXT_CMS_AUTH_STORAGE_TIMEOUT: '300', NUXT_STALL_STORAGE: '1' })
    // The API's rate limit counts in storage, which now never answers.
    const started = Date.now()
    const response = await fetch(`${base}/api/_cms/member/content/members`)
    const elapsed = Date.now() - started
    expect(response.status).toBe(503)
    expect((await response.json()).message).toMatch(/^Nitro storage mount "cms-auth" \(cmsAuth.storage\) did not answer/)
    expect(elapsed).toBeGreaterThanOrEqual(300)
    expect(elapsed).toBeLessThan(1500)
    expect(cms.state.requests).toEqual([])
  })
})

describe('static APIs, direct and through the proxy', () => {
  it('calls a direct API during SSR at NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_BASE_URL with NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN', async () => {
    const html = await fetch(`${await server()}/news`).then(page => page.text())
    expect(html).toContain('Kuroco static token reached the CMS')
    expect(html).not.toContain('id="error"')
    expect(cms.state.requests.map(request => [request.path, request.headers['x-rcms-api-access-token']])).toEqual([['/kuroco/rcms-api/1/content/news', newsToken]])
    // The browser gets the same public values in the payload, and never the build-time ones.
    expect(html).toContain(`${cms.url}/kuroco/rcms-api/1`)
    expect(html).not.toContain('build-time-token')
  })

  it('proxies to NUXT_CMS_AUTH_APIS_CONTACT_BASE_URL with NUXT_CMS_AUTH_APIS_CONTACT_TOKEN, neither of which reaches a page', async () => {
    const base = await server()
    const answer = await fetch(`${base}/api/_cms/contact/echo/inquiries`)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ headers: { 'x-microcms-api-key': contactKey } })
    expect(cms.state.requests.map(request => request.path)).toEqual(['/lab/echo/inquiries'])
    const html = await fetch(`${base}/news`).then(page => page.text())
    expect(html).not.toContain(contactKey)
    expect(html).not.toContain(`${cms.url}/lab`)
  })
})
