import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { setup, useTestContext } from '@nuxt/test-utils/e2e'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { listenMockCms } from '../mock-cms/listen'
import { fixtureDir } from '../utils/fixtures'
import { startListening, stopProcess } from '../utils/processes'
import type { RawRequest } from '../utils/raw-http'
import { freePort, rawRequest } from '../utils/raw-http'
import { ensureRuntime } from '../utils/runtimes'

// The proxy fixture built for Nitro's bun preset and run under Bun: requests reach the app
// without a socket (Nitro's stand-in request), which once made every visitor look like this
// server's own SSR call and skipped the allow-list, the same-origin guard and the rate limit.
const secret = `proxy-secret-${randomUUID()}`
process.env.PROXY_FIXTURE_SECRET = secret
const cms = await listenMockCms({ microcmsWrite: secret })
const cmsEnv = Object.fromEntries(['LAB', 'KUROCO', 'GUARDED', 'STRICT', 'PLATFORM', 'LIMITED', 'QUERYKEY'].map(name => [`NUXT_CMS_AUTH_APIS_${name}_BASE_URL`, `${cms.url}/lab`]))

await setup({ rootDir: fixtureDir('proxy'), server: false, nuxtConfig: { nitro: { preset: 'bun' } as Record<string, unknown> } })

let bun: ChildProcess | undefined
let port = 0

beforeAll(async () => {
  const binary = await ensureRuntime('bun')
  port = await freePort()
  const entry = join(useTestContext().nuxt!.options.nitro.output!.dir!, 'server/index.mjs')
  bun = await startListening(binary, [entry], port, { env: {
    ...process.env,
    ...cmsEnv,
    PORT: String(port),
    HOST: '127.0.0.1',
    // The one API whose rate limit gets its address from a header the host would set.
    NUXT_CMS_AUTH_APIS_LIMITED_PROXY_CLIENT_ADDRESS_HEADER: 'x-client-ip',
  } })
})

afterAll(async () => {
  await stopProcess(bun)
  await cms.close()
  delete process.env.PROXY_FIXTURE_SECRET
})

beforeEach(() => cms.reset())

const send = (request: RawRequest) => rawRequest(port, request)
const json = (body: Buffer) => JSON.parse(body.toString('utf8'))

describe('proxy under Bun (no socket): every check holds', () => {
  it('renders pages whose in-process calls go through the proxy, allow-listed APIs included', async () => {
    const home = (await send({ target: '/' })).body.toString()
    expect(home).toContain('microCMS API key sent as X-MICROCMS-API-KEY')
    const listed = (await send({ target: '/allow-listed' })).body.toString()
    expect(listed).toContain('/echo/ssr')
    expect(listed).not.toContain('id="error"')
    expect(cms.state.requests.map(request => request.path)).toEqual(['/lab/microcms/api/v1/blogs', '/lab/echo/ssr'])
  })

  it.each([
    ['an allow-listed API, no address known', '/api/_cms/strict/echo/x', {}],
    ['an allow-listed API, with a spoofed X-Forwarded-For', '/api/_cms/strict/echo/x', { 'x-forwarded-for': '192.0.2.5' }],
    ['trusted proxies mean nothing without a socket', '/api/_cms/guarded/echo/x', { 'x-forwarded-for': '192.0.2.5' }],
  ])('fails closed with the fix named: %s', async (_name, target, headers) => {
    const response = await send({ target, headers })
    expect(response.status).toBe(500)
    expect(json(response.body).message).toMatch(/proxy\.allowedIPs needs the visitor's address.*clientAddressHeader/)
    expect(cms.state.requests).toEqual([])
  })

  it('enforces the allow-list on the address from the named header', async () => {
    const statuses = []
    for (const headers of [{ 'x-client-ip': '198.51.100.1' }, {}, { 'x-client-ip': '192.0.2.5' }] as Record<string, string>[])
      statuses.push((await send({ target: '/api/_cms/platform/echo/x', headers })).status)
    expect(statuses).toEqual([403, 403, 200])
    expect(cms.state.requests).toHaveLength(1)
  })

  it('refuses a cross-site browser request', async () => {
    expect((await send({ target: '/api/_cms/lab/blogs', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403)
    expect((await send({ target: '/api/_cms/lab/blogs', headers: { origin: 'https://evil.example' } })).status).toBe(403)
    expect(cms.state.requests).toEqual([])
  })

  it('rate-limits per address (set at runtime by env variable), then 429', async () => {
    const statuses = []
    for (let index = 0; index < 4; index++)
      statuses.push((await send({ target: '/api/_cms/limited/echo/x', headers: { 'x-client-ip': '192.0.2.77' } })).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    expect((await send({ target: '/api/_cms/limited/echo/x', headers: { 'x-client-ip': '192.0.2.78' } })).status).toBe(200)
    expect(cms.state.requests).toHaveLength(4)
  })

  it('forwards a POST body, and refuses an oversize one before the CMS sees it', async () => {
    const body = Buffer.alloc(10_000, 7)
    const response = await send({ method: 'POST', target: '/api/_cms/lab/echo/upload', body, headers: { 'content-type': 'application/octet-stream' } })
    expect(response.status).toBe(200)
    expect(json(response.body)).toMatchObject({ bodyLength: body.length })
    cms.reset()
    expect((await send({ method: 'POST', target: '/api/_cms/lab/echo/upload', body: Buffer.alloc(70 * 1024, 1) })).status).toBe(413)
    expect(cms.state.requests).toEqual([])
  })

  it('sends the path on as received and refuses dot segments in disguise', async () => {
    expect((await send({ target: '/api/_cms/lab/echo/what%3F/a%2Fb' })).status).toBe(200)
    expect(cms.state.requests.map(request => request.rawTarget)).toEqual(['/lab/echo/what%3F/a%2Fb'])
    cms.reset()
    for (const target of ['/api/_cms/lab/echo/..;/..;/kuroco', '/api/_cms/lab/echo/%c0%ae%c0%ae/kuroco', '/api/_cms/lab/echo/x;jsessionid=1'])
      expect((await send({ target })).status, target).toBe(400)
    expect(cms.state.requests).toEqual([])
  })

  it('gets dot segments Bun already resolved (its URL parser reads %2e as a dot): the result is a route like any other', async () => {
    // Bun turns this into /api/_cms/lab/kuroco before Nitro sees it; no dot reaches the CMS.
    await send({ target: '/api/_cms/lab/echo/x/%2e%2e/%2e%2e/kuroco' })
    expect(cms.state.requests.map(request => request.rawTarget)).toEqual(['/lab/kuroco'])
  })
})
