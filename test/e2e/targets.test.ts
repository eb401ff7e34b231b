import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { members } from '../mock-cms/members'
import { mockControls } from '../mock-cms/controls'
import { listenMockCms } from '../mock-cms/listen'
import { labByte } from '../mock-cms/vendors/lab'
import { rawRequest } from '../utils/raw-http'
import type { RunningTarget, Target } from '../utils/targets'
import { buildTargets, startTarget, targets } from '../utils/targets'

// The deployment-target matrix: test/fixtures/targets built for each Nitro preset and run the way
// its host runs it (Node, Bun, Deno, workerd, a Netlify or Vercel function). Every protection the
// config names must hold on each, or the build must refuse; none may switch itself off.
const secret = `targets-secret-${randomUUID()}`
const cms = await listenMockCms({ microcmsWrite: secret })
const { expireAccess, kurocoRefreshes } = mockControls(cms)
const loopback = '127.0.0.1,::1,::ffff:127.0.0.1'

// Hosts that hand the app a Node request on a real socket: the header is believed only from a
// trusted proxy, and the test is that proxy.
const onSockets: readonly Target[] = ['node-server', 'vercel']

function envFor(target: Target): Record<string, string> {
  return {
    NUXT_CMS_AUTH_APIS_LAB_BASE_URL: `${cms.url}/lab`,
    NUXT_CMS_AUTH_APIS_STRICT_BASE_URL: `${cms.url}/lab`,
    NUXT_CMS_AUTH_APIS_LIMITED_BASE_URL: `${cms.url}/lab`,
    NUXT_CMS_AUTH_APIS_UNNAMED_BASE_URL: `${cms.url}/lab`,
    NUXT_CMS_AUTH_APIS_MEMBER_BASE_URL: `${cms.url}/kuroco/rcms-api/3`,
    NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url'),
    // What a host's edge sets (cf-connecting-ip, x-nf-client-connection-ip…), named at runtime.
    NUXT_CMS_AUTH_APIS_STRICT_PROXY_CLIENT_ADDRESS_HEADER: 'x-client-ip',
    NUXT_CMS_AUTH_APIS_LIMITED_PROXY_CLIENT_ADDRESS_HEADER: 'x-client-ip',
    ...(onSockets.includes(target) ? { NUXT_CMS_AUTH_APIS_STRICT_PROXY_TRUSTED_PROXIES: loopback, NUXT_CMS_AUTH_APIS_LIMITED_PROXY_TRUSTED_PROXIES: loopback } : {}),
  }
}

// Two builds at a time from the start, so later targets build while earlier ones are tested.
const builds = buildTargets(targets, { TARGETS_FIXTURE_SECRET: secret })
for (const build of builds.values())
  build.catch(() => {})

afterAll(() => cms.close())
beforeEach(() => cms.reset())

describe.each(targets)('on %s', (target) => {
  let server: RunningTarget
  let outputDir: string
  beforeAll(async () => {
    outputDir = await builds.get(target)!
    server = await startTarget(target, outputDir, envFor(target))
    await untilServing(server.url)
  }, 300_000)
  afterAll(() => server?.stop())

  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers })

  // Presets without a Node runtime: the transport's Node path must not be in the build at all.
  if (target === 'cloudflare-module' || target === 'vercel-edge') {
    it('builds without node:http (the transport\'s Node path is a stub there)', async () => {
      const files = (await readdir(outputDir, { recursive: true, withFileTypes: true })).filter(file => file.isFile() && /\.m?js$/.test(file.name))
      expect(files.length).toBeGreaterThan(0)
      for (const file of files)
        expect(await readFile(join(file.parentPath, file.name), 'utf8'), file.name).not.toMatch(/["']node:https?["']/)
    })
  }

  it('renders a page whose API call went in-process through the proxy route', async () => {
    const html = await (await get('/')).text()
    expect(html).toContain('<p id="lab">/echo/ssr</p>')
    expect(html).toContain('logged-out:')
    expect(html).not.toContain(secret)
    expect(cms.state.requests.filter(request => request.path === '/lab/echo/ssr')).toHaveLength(1)
  })

  it('forwards a GET with the private key and a POST with its body, byte for byte', async () => {
    const response = await get('/api/_cms/lab/echo/items?x=%3F')
    expect(response.status).toBe(200)
    expect(response.headers.get('x-request-id')).toBe('req-1')
    const echo = await response.json()
    expect(echo.headers['x-microcms-api-key']).toBe(secret)
    const body = randomBytes(10_000)
    const posted = await fetch(`${server.url}/api/_cms/lab/echo/upload`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } })
    expect(posted.status).toBe(200)
    expect(await posted.json()).toMatchObject({ bodyLength: body.length, bodySha256: createHash('sha256').update(body).digest('hex') })
    expect(cms.state.requests.map(request => request.rawTarget)).toEqual(['/lab/echo/items?x=%3F', '/lab/echo/upload'])
  })

  it('streams a response byte for byte', async () => {
    const size = 3 * 1024 * 1024
    const bytes = new Uint8Array(await (await get(`/api/_cms/lab/bytes?size=${size}`)).arrayBuffer())
    expect(bytes.length).toBe(size)
    expect(bytes.every((byte, index) => byte === labByte(index))).toBe(true)
  })

  it('sends a small body of declared length whole, and fails one that stops arriving within the timeout', async () => {
    const small = new Uint8Array(await (await get('/api/_cms/lab/bytes?size=40000')).arrayBuffer())
    expect(small.length).toBe(40_000)
    expect(small.every((byte, index) => byte === labByte(index))).toBe(true)
    const started = Date.now()
    const stalled = await get('/api/_cms/lab/stall?declared&ms=6000')
    // Where a request comes in on a Node socket, the body streams: its headers are long sent, so
    // the stall can only cut it. Elsewhere the small body is read whole first: a 502 says why.
    if (stalled.status === 502)
      expect(await stalled.json()).toEqual({ statusCode: 502, message: 'The CMS connection failed mid-response.' })
    else
      await expect(stalled.arrayBuffer()).rejects.toThrow()
    expect(stalled.status === 502).toBe(!['node-server', 'vercel'].includes(target))
    expect(Date.now() - started).toBeLessThan(4500)
  })

  it('refuses, before the CMS sees anything: methods, paths, dot segments in disguise, oversize bodies', async () => {
    expect((await fetch(`${server.url}/api/_cms/lab/blogs`, { method: 'POST', body: '{}' })).status).toBe(405)
    expect((await get('/api/_cms/lab/forbidden/x')).status).toBe(403)
    for (const path of ['/api/_cms/lab/echo/..;/..;/kuroco', '/api/_cms/lab/echo/%c0%ae%c0%ae/kuroco', '/api/_cms/lab/echo/x;jsessionid=1'])
      expect((await rawRequest(Number(new URL(server.url).port), { target: path })).status, path).toBe(400)
    expect((await fetch(`${server.url}/api/_cms/lab/echo/upload`, { method: 'POST', body: new Uint8Array(70 * 1024) })).status).toBe(413)
    expect(cms.state.requests).toEqual([])
  })

  it('holds the allow-list on the address the host names, and fails closed without one', async () => {
    const statuses = []
    for (const headers of [{ 'x-client-ip': '192.0.2.5' }, { 'x-client-ip': '198.51.100.1' }, {}] as Record<string, string>[])
      statuses.push((await get('/api/_cms/strict/echo/x', headers)).status)
    expect(statuses).toEqual([200, 403, 403])
    expect(cms.state.requests).toHaveLength(1)
  })

  it('fails closed, naming the fix, when nothing says who is calling', async () => {
    const response = await get('/api/_cms/unnamed/echo/x', { 'x-forwarded-for': '192.0.2.5', 'x-client-ip': '192.0.2.5' })
    if (onSockets.includes(target)) {
      // The socket's peer (the test, 127.0.0.1) is the address: not on the list.
      expect(response.status).toBe(403)
    }
    else {
      expect(response.status).toBe(500)
      expect((await response.json()).message).toMatch(/cmsAuth\.apis\.unnamed\.proxy\.allowedIPs needs the visitor's address.*NUXT_CMS_AUTH_APIS_UNNAMED_PROXY_CLIENT_ADDRESS_HEADER/)
    }
    expect(cms.state.requests).toEqual([])
  })

  it('refuses a cross-site browser request', async () => {
    expect((await get('/api/_cms/lab/echo/x', { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await get('/api/_cms/lab/echo/x', { origin: 'https://evil.example' })).status).toBe(403)
    expect(cms.state.requests).toEqual([])
  })

  it('rate-limits per address, then 429', async () => {
    const statuses = []
    for (let index = 0; index < 4; index++)
      statuses.push((await get('/api/_cms/limited/echo/x', { 'x-client-ip': '192.0.2.77' })).status)
    expect(statuses).toEqual([200, 200, 200, 429])
  })

  it('runs a server-held session: login, one refresh for concurrent requests after expiry, logout', async () => {
    const login = await fetch(`${server.url}/api/_cms/_session/member/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: members[1]!.email, password: members[1]!.password }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.getSetCookie().map(pair => pair.split(';')[0]!).join('; ')
    expect(await (await get('/', { cookie })).text()).toContain(`logged-in:${members[1]!.name}`)
    const call = () => get('/api/_cms/member/content/members', { cookie })
    expect((await call()).status).toBe(200)
    await expireAccess()
    const before = kurocoRefreshes()
    const answers = await Promise.all(Array.from({ length: 5 }, call))
    expect(answers.map(answer => answer.status)).toEqual([200, 200, 200, 200, 200])
    expect(kurocoRefreshes() - before).toBe(1)
    const cookieAfter = answers.flatMap(answer => answer.headers.getSetCookie()).map(pair => pair.split(';')[0]!).find(pair => pair.startsWith('cms_auth_member=')) ?? cookie
    expect((await fetch(`${server.url}/api/_cms/_session/member/logout`, { method: 'POST', headers: { cookie: cookieAfter } })).status).toBe(200)
    const replayed = await get('/api/_cms/member/content/members', { cookie: cookieAfter })
    expect(replayed.status).toBe(401)
    expect(replayed.headers.get('x-cms-auth-session')).toBe('ended')
  })
})

/** Waits until the server answers its home page (wrangler listens before workerd is ready). */
async function untilServing(url: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const status = await fetch(url).then(response => response.status, () => 0)
    if (status && status < 500)
      return
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`${url} did not serve within 60 s`)
}
