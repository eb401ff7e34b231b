import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createPage, setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { listenMockCms } from '../mock-cms/listen'
import { binaryBody, gzipBody, labByte } from '../mock-cms/vendors/lab'
import { chromiumLaunch } from '../utils/chromium'
import { fixtureDir } from '../utils/fixtures'
import { startListening, stopProcess } from '../utils/processes'
import type { RawRequest, RawResponse } from '../utils/raw-http'
import { freePort, rawRequest } from '../utils/raw-http'
import { withTwoInstancesOnRedis } from '../utils/shared-redis'

// A secret no other test uses: if it shows up anywhere the browser can read, the scan finds it.
const secret = `proxy-secret-${randomUUID()}`
process.env.PROXY_FIXTURE_SECRET = secret
const cms = await listenMockCms({ microcmsWrite: secret })
const cmsEnv = Object.fromEntries(['LAB', 'KUROCO', 'GUARDED', 'STRICT', 'PLATFORM', 'LIMITED', 'QUERYKEY'].map(name => [`NUXT_CMS_AUTH_APIS_${name}_BASE_URL`, `${cms.url}/lab`]))

await setup({ rootDir: fixtureDir('proxy'), server: true, browser: true, browserOptions: { type: 'chromium', launch: chromiumLaunch }, env: cmsEnv })

// Every response any test sees, for the secret scan at the end, except the mock's echo
// endpoints (and the server route that returns one): they reflect what the CMS received, key
// included, which a real CMS never does.
const seen: string[] = []
const reflectsCredentials = /^\/api\/(?:_cms\/\w+\/echo\/|server-util|in-process|unmarked)/

function serverPort(): number {
  return Number(new URL(url('/')).port)
}

async function send(request: RawRequest, port = serverPort()): Promise<RawResponse> {
  const response = await rawRequest(port, request)
  if (!reflectsCredentials.test(request.target) || response.status !== 200)
    seen.push(JSON.stringify(response.headers), response.body.toString('latin1'))
  return response
}

function json(response: RawResponse): any {
  return JSON.parse(response.body.toString('utf8'))
}

afterAll(async () => {
  await cms.close()
  delete process.env.PROXY_FIXTURE_SECRET
})

beforeEach(() => cms.reset())

describe('proxy route: what reaches the CMS', () => {
  it('adds the private key server-side and renders SSR content fetched in-process', async () => {
    const html = (await send({ target: '/' })).body.toString()
    expect(html).toContain('microCMS API key sent as X-MICROCMS-API-KEY')
    expect(html).not.toContain('id="error"')
    expect(cms.state.requests).toHaveLength(1)
    expect(cms.state.requests[0]).toMatchObject({ method: 'GET', path: '/lab/microcms/api/v1/blogs' })
    expect(cms.state.requests[0]!.headers['x-microcms-api-key']).toBe(secret)
    expect(html).toContain('"/api/_cms/lab"')
    expect(html).not.toContain(cms.url)
  })

  it('keeps the query string intact and sends the key once, never the client\'s credentials', async () => {
    const response = await send({
      target: '/api/_cms/lab/echo/items?filters=title%5Bcontains%5Da%26b&x=1&x=2&q=%E6%97%A5',
      headers: {
        'accept': 'application/json',
        'authorization': 'Bearer client-token',
        'cookie': 'session=client-cookie',
        'x-microcms-api-key': 'client-supplied-key',
        'proxy-authorization': 'Basic Y2xpZW50',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
        'forwarded': 'host=evil.example',
        'connection': 'close, accept-language',
        'accept-language': 'ja',
        'te': 'trailers',
      },
    })
    expect(response.status).toBe(200)
    const echoed = json(response)
    expect(echoed.path).toBe('/echo/items?filters=title%5Bcontains%5Da%26b&x=1&x=2&q=%E6%97%A5')
    expect(echoed.headers['x-microcms-api-key']).toBe(secret)
    expect(echoed.headers.accept).toBe('application/json')
    expect(echoed.headers.host).toBe(new URL(cms.url).host)
    for (const header of ['authorization', 'cookie', 'proxy-authorization', 'x-forwarded-for', 'x-forwarded-host', 'forwarded', 'accept-language', 'te'])
      expect(echoed.headers, header).not.toHaveProperty(header)
    expect(JSON.stringify(echoed)).not.toContain('client-')
  })

  it('sends a query-string key once: the server\'s, never one the client put in the URL', async () => {
    const response = await send({ target: '/api/_cms/querykey/echo/items?api_key=client-key&a=1&API_KEY=2' })
    expect(response.status).toBe(200)
    expect(json(response).path).toBe(`/echo/items?a=1&API_KEY=2&api_key=${secret}`)
  })

  it('keeps the key it added out of a CMS error page that quotes the URL, plain or compressed', async () => {
    for (const encoding of ['', 'gzip']) {
      const response = await send({ target: `/api/_cms/querykey/quote/missing?encoding=${encoding}`, headers: { 'accept-encoding': 'gzip, br' } })
      expect(response.status).toBe(404)
      const page = response.body.toString('utf8')
      expect(page).toContain('No route for /quote/missing?encoding=')
      expect(page).toContain('api_key=[redacted by nuxt-cms-auth]')
      expect(page).not.toContain(secret)
      expect(response.headers['content-encoding']).toBeUndefined()
      expect(Number(response.headers['content-length'] ?? response.body.length)).toBe(response.body.length)
    }
    // Brotli cannot be read on every runtime: the status goes on, the unchecked body does not.
    const brotli = await send({ target: '/api/_cms/querykey/quote/missing?encoding=br' })
    expect(brotli.status).toBe(404)
    expect(json(brotli).message).toMatch(/cannot check for the API's secret/)
  })

  it('strips Set-Cookie, Location and other upstream headers from the response', async () => {
    const response = await send({ target: '/api/_cms/lab/echo/cookies' })
    expect(response.status).toBe(200)
    expect(response.headers).not.toHaveProperty('set-cookie')
    expect(response.headers).not.toHaveProperty('location')
    expect(response.headers).not.toHaveProperty('x-powered-by')
    expect(response.headers['content-type']).toContain('application/json')
  })

  it('ignores the Host header: the request still goes to the configured CMS', async () => {
    const response = await send({ target: '/api/_cms/lab/echo/host', headers: { host: 'evil.example' } })
    expect(response.status).toBe(200)
    expect(json(response).headers.host).toBe(new URL(cms.url).host)
  })

  it('lets a POST through where a rule allows it, with the write key', async () => {
    const response = await send({ method: 'POST', target: '/api/_cms/lab/microcms/api/v1/inquiries', headers: { 'content-type': 'application/json' }, body: '{"name":"Ann"}' })
    expect(response.status).toBe(201)
    expect(json(response)).toEqual({ id: 'inquiry-1' })
  })

  it('encodes what an in-process caller passes raw (unicode, spaces) before it goes on the wire', async () => {
    const response = await send({ target: '/api/in-process' })
    expect(response.status).toBe(200)
    // Node refuses to send a raw space or non-Latin-1 character, so arriving at all means it was
    // encoded; the mock (h3) shows the path decoded.
    expect(json(response).path).toBe('/echo/日本 語?q=a+b')
    expect(json(response).headers['x-microcms-api-key']).toBe(secret)
  })

  it('hands an in-process caller that asked for gzip a body it can parse (it cannot decompress)', async () => {
    const response = await send({ target: '/api/in-process-gzip' })
    expect(response.status).toBe(200)
    expect(json(response)).toMatchObject({ compressed: true })
  })

  it('serves the app\'s own server routes through useCmsServerApi with the private key', async () => {
    const response = await send({ target: '/api/server-util' })
    expect(response.status).toBe(200)
    expect(json(response).headers['x-microcms-api-key']).toBe(secret)
    expect(cms.state.requests[0]!.path).toBe('/lab/echo/from-server-util')
  })

  it('takes the key out of a failed useCmsServerApi call\'s error: message, stack and the CMS\'s body', async () => {
    const response = await send({ target: '/api/server-util-error' })
    const error = json(response)
    expect(error, response.body.toString()).toHaveProperty('statusCode', 404)
    expect(error.message).toContain('api_key=[redacted by nuxt-cms-auth]')
    expect(error.data).toContain('No route for /quote/missing')
    expect(response.body.toString()).not.toContain(secret)
    expect(cms.state.requests[0]!.path).toBe(`/lab/quote/missing?api_key=${secret}`)
  })
})

describe('proxy route: refused before anything reaches the CMS', () => {
  const oversize = Buffer.alloc(70 * 1024, 1)
  const table: Array<[string, number, RawRequest]> = [
    ['plain ..', 400, { target: '/api/_cms/lab/../guarded/echo/x' }],
    ['.. beyond the base path', 400, { target: '/api/_cms/lab/echo/../../kuroco/rcms-api/1/content' }],
    ['percent-encoded ..', 400, { target: '/api/_cms/lab/%2e%2e/%2e%2e/kuroco' }],
    ['double-encoded ..', 400, { target: '/api/_cms/lab/%252e%252e/kuroco' }],
    ['an encoded slash', 400, { target: '/api/_cms/lab/echo%2f..%2f..%2fkuroco' }],
    ['a backslash', 400, { target: '/api/_cms/lab/echo\\..\\..\\kuroco' }],
    ['an encoded backslash', 400, { target: '/api/_cms/lab/echo%5c..%5ckuroco' }],
    ['an encoded NUL', 400, { target: '/api/_cms/lab/echo%00.json' }],
    ['encoded CR LF (header injection)', 400, { target: '/api/_cms/lab/echo/%0d%0aX-Injected:%20yes' }],
    ['a protocol-relative host (SSRF)', 400, { target: '/api/_cms/lab//127.0.0.1:1/x' }],
    ['an absolute URL in the path (SSRF)', 400, { target: '/api/_cms/lab/http://127.0.0.1:1/x' }],
    ['a user-info trick on the API name (SSRF)', 404, { target: '/api/_cms/lab@127.0.0.1:1/x' }],
    ['a disallowed method (405)', 405, { method: 'POST', target: '/api/_cms/lab/blogs', body: '{}' }],
    ['DELETE on a POST-only path (405)', 405, { method: 'DELETE', target: '/api/_cms/lab/microcms/api/v1/inquiries' }],
    ['OPTIONS where only GET is allowed (405)', 405, { method: 'OPTIONS', target: '/api/_cms/lab/blogs' }],
    ['a forbidden path (403)', 403, { target: '/api/_cms/lab/forbidden/secret-area' }],
    ['an oversize body with Content-Length (413)', 413, { method: 'POST', target: '/api/_cms/lab/echo/upload', body: oversize }],
    ['an oversize chunked body without Content-Length (413)', 413, { method: 'POST', target: '/api/_cms/lab/echo/upload', body: oversize, chunked: true }],
    ['a cross-site browser request (Sec-Fetch-Site)', 403, { target: '/api/_cms/lab/blogs', headers: { 'sec-fetch-site': 'cross-site' } }],
    ['a cross-origin browser request (Origin)', 403, { target: '/api/_cms/lab/blogs', headers: { origin: 'https://evil.example' } }],
    ['a spoofed X-Forwarded-For with no trusted proxy', 403, { target: '/api/_cms/strict/echo/x', headers: { 'x-forwarded-for': '192.0.2.5' } }],
    ['an address outside the allow-list behind a trusted proxy', 403, { target: '/api/_cms/guarded/echo/x', headers: { 'x-forwarded-for': '198.51.100.1' } }],
    ['an allowed address written left of the real one', 403, { target: '/api/_cms/guarded/echo/x', headers: { 'x-forwarded-for': '192.0.2.5, 198.51.100.1' } }],
    // Dot segments as other servers see them (the full grammar is the unit table in proxy-path.test.ts).
    ['.. with a path parameter (Tomcat, Jetty, Spring)', 400, { target: '/api/_cms/lab/echo/..;/..;/kuroco' }],
    ['encoded ..; (Tomcat)', 400, { target: '/api/_cms/lab/echo/%2e%2e%3b/kuroco' }],
    ['a path parameter on a plain segment', 400, { target: '/api/_cms/lab/echo/x;jsessionid=1' }],
    ['IIS %u escapes', 400, { target: '/api/_cms/lab/echo/%u002e%u002e/kuroco' }],
    ['overlong UTF-8 dots (IIS)', 400, { target: '/api/_cms/lab/echo/%c0%ae%c0%ae/kuroco' }],
    ['fullwidth full stops (NFKC)', 400, { target: '/api/_cms/lab/echo/%EF%BC%8E%EF%BC%8E/kuroco' }],
    ['.. with a trailing space (Windows)', 400, { target: '/api/_cms/lab/echo/..%20/kuroco' }],
    ['the API route itself %-encoded', 400, { target: '/api/_cms/l%61b/echo/x' }],
    // Who is calling, when the address comes from a header the host sets.
    ['no named client header: the loopback peer is not allowed', 403, { target: '/api/_cms/platform/echo/x' }],
    ['a named client header outside the allow-list', 403, { target: '/api/_cms/platform/echo/x', headers: { 'x-client-ip': '198.51.100.1' } }],
  ]

  it.each(table)('%s → %i, and the CMS saw nothing', async (_name, status, request) => {
    const response = await send(request)
    expect(response.status).toBe(status)
    expect(cms.state.requests).toEqual([])
    if (status !== 404)
      expect(json(response)).toMatchObject({ statusCode: status, message: expect.any(String) })
    if (status === 405)
      expect(response.headers.allow).toMatch(/^(GET, HEAD|POST)$/)
  })

  it('answers 405 with the methods the path allows', async () => {
    expect((await send({ method: 'POST', target: '/api/_cms/lab/blogs', body: '{}' })).headers.allow).toBe('GET, HEAD')
    expect((await send({ method: 'GET', target: '/api/_cms/lab/microcms/api/v1/inquiries' })).headers.allow).toBe('POST')
  })

  it('lets the allowed address through the named client header from a trusted proxy', async () => {
    const response = await send({ target: '/api/_cms/platform/echo/x', headers: { 'x-client-ip': '192.0.2.5' } })
    expect(response.status).toBe(200)
    expect(cms.state.requests).toHaveLength(1)
  })

  it('lets the allowed address through a trusted proxy (the control for the IP rows)', async () => {
    const response = await send({ target: '/api/_cms/guarded/echo/x', headers: { 'x-forwarded-for': '192.0.2.5' } })
    expect(response.status).toBe(200)
    expect(cms.state.requests).toHaveLength(1)
  })
})

describe('proxy route: the path and the query as the client sent them', () => {
  it('reaches the CMS byte for byte: %3F, %23, %2F, %25, %41 and non-ASCII stay escapes', async () => {
    const rest = '/echo/what%3F/a%23b/a%2Fb/100%25/%41/%E6%97%A5%E6%9C%AC/file.json?q=%3F&tag=%E6%97%A5'
    const response = await send({ target: `/api/_cms/lab${rest}` })
    expect(response.status).toBe(200)
    expect(cms.state.requests.map(request => request.rawTarget)).toEqual([`/lab${rest}`])
  })

  it('judges permission rules on the decoded path: an encoded / inside a segment is no way past a one-segment rule', async () => {
    // /echo/** allows everything below it, /forbidden/** nothing, whatever the encoding of the rest.
    expect((await send({ target: '/api/_cms/lab/forbidden/a%2Fb' })).status).toBe(403)
    expect((await send({ target: '/api/_cms/lab/%66orbidden/x' })).status).toBe(403)
    expect(cms.state.requests).toEqual([])
  })
})

describe('proxy route: who is calling', () => {
  it('renders an allow-listed API on the server: the module\'s own in-process call is not a visitor', async () => {
    const html = (await send({ target: '/allow-listed' })).body.toString()
    expect(html).toContain('/echo/ssr')
    expect(html).not.toContain('id="error"')
    expect(cms.state.requests.map(request => request.path)).toEqual(['/lab/echo/ssr'])
  })

  it('checks app server code that calls the route in-process like any visitor, failing closed without an address', async () => {
    const response = json(await send({ target: '/api/unmarked-strict' }))
    expect(response.status).toBe(500)
    expect(response.body.message).toContain('cmsAuth.apis.strict.proxy.allowedIPs needs the visitor\'s address')
    expect(response.body.message).toContain('NUXT_CMS_AUTH_APIS_STRICT_PROXY_CLIENT_ADDRESS_HEADER')
    expect(cms.state.requests).toEqual([])
  })

  it('believes the named client header on a request without a socket, and refuses one without it', async () => {
    const statuses = []
    for (const ip of ['', '198.51.100.1', '192.0.2.9'])
      statuses.push(json(await send({ target: `/api/unmarked-platform?ip=${ip}` })))
    expect(statuses.map(answer => answer.status)).toEqual([403, 403, 200])
    expect(statuses[0].body.message).toBe('This request does not say which address it came from (no valid x-client-ip header).')
    expect(cms.state.requests).toHaveLength(1)
  })
})

describe('proxy route: response headers', () => {
  it('passes on the API\'s allow-listed custom headers and no others', async () => {
    const response = await send({ target: '/api/_cms/lab/echo/headers' })
    expect(response.headers['x-request-id']).toBe('req-1')
    expect(response.headers).not.toHaveProperty('x-total-count')
    expect(response.headers).not.toHaveProperty('x-rcms-ratelimit-remaining')
    expect(response.headers).not.toHaveProperty('set-cookie')
  })

  it('passes on what the preset documents (Kuroco\'s rate-limit headers) without an option', async () => {
    const response = await send({ target: '/api/_cms/kuroco/echo/headers' })
    expect(response.status).toBe(200)
    expect(response.headers['x-rcms-ratelimit-remaining']).toBe('99')
    expect(response.headers).not.toHaveProperty('x-request-id')
  })
})

describe('proxy route: bodies', () => {
  it('returns binary bodies byte-exact', async () => {
    const response = await send({ target: '/api/_cms/lab/binary' })
    expect(response.status).toBe(200)
    expect(response.body.equals(binaryBody)).toBe(true)
  })

  it('passes a compressed body through without touching it', async () => {
    const response = await send({ target: '/api/_cms/lab/gzip', headers: { 'accept-encoding': 'gzip' } })
    expect(response.headers['content-encoding']).toBe('gzip')
    expect(response.body.equals(gzipBody)).toBe(true)
  })

  it('forwards a multipart upload byte-exact, with and without Content-Length', async () => {
    const boundary = 'cms-auth-boundary'
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      binaryBody,
      Buffer.alloc(40_000, 0xAB),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const sha = createHash('sha256').update(body).digest('hex')
    for (const chunked of [false, true]) {
      const response = await send({ method: 'POST', target: '/api/_cms/lab/echo/upload', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body, chunked })
      expect(response.status).toBe(200)
      expect(json(response)).toMatchObject({ bodyLength: body.length, bodySha256: sha })
      expect(json(response).headers['content-type']).toBe(`multipart/form-data; boundary=${boundary}`)
    }
  })

  it('streams a 64 MB response byte-exact', async () => {
    const size = 64 * 1024 * 1024
    const response = await fetch(url(`/api/_cms/lab/bytes?size=${size}`))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe(String(size))
    let offset = 0
    let mismatches = 0
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (let index = 0; index < chunk.length; index++) {
        if (chunk[index] !== labByte(offset + index))
          mismatches++
      }
      offset += chunk.length
    }
    expect(offset).toBe(size)
    expect(mismatches).toBe(0)
  })

  it('cancels the upstream request when the client goes away', async () => {
    const controller = new AbortController()
    const response = await fetch(url('/api/_cms/lab/drip'), { signal: controller.signal })
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort()
    const deadline = Date.now() + 5000
    while (!cms.state.counters['lab.drip.aborted'] && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 50))
    expect(cms.state.counters['lab.drip.started']).toBe(1)
    expect(cms.state.counters['lab.drip.aborted']).toBe(1)
  })

  it('answers 504 when the CMS is slower than the timeout', async () => {
    const started = Date.now()
    const response = await send({ target: '/api/_cms/lab/slow?ms=3000' })
    expect(response.status).toBe(504)
    expect(json(response)).toEqual({ statusCode: 504, message: 'The CMS did not answer within 1000 ms.' })
    expect(Date.now() - started).toBeLessThan(2500)
  })

  it('cuts a response whose body stops arriving for the timeout, at both ends', async () => {
    const response = await fetch(url('/api/_cms/lab/stall?ms=4000'))
    expect(response.status).toBe(200)
    const reader = response.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first chunk\n')
    const started = Date.now()
    await expect(reader.read()).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(2500)
    const deadline = Date.now() + 5000
    while (!cms.state.counters['lab.stall.cut'] && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 50))
    expect(cms.state.counters['lab.stall.cut']).toBe(1)
  })

  it('lets a body that keeps arriving run longer than the timeout', async () => {
    // /drip sends a chunk every 50 ms for 10 s; the first 1.5 s outlast the 1000 ms timeout.
    const response = await fetch(url('/api/_cms/lab/drip'))
    const reader = response.body!.getReader()
    const started = Date.now()
    let text = ''
    while (Date.now() - started < 1500)
      text += new TextDecoder().decode((await reader.read()).value)
    await reader.cancel()
    expect(text).toMatch(/chunk 2\d\n/)
  })
})

describe('proxy route: rate limit', () => {
  it('allows the limit per client, then 429 with Retry-After and RateLimit-* headers', async () => {
    const client = { 'x-forwarded-for': '192.0.2.77' }
    const responses = []
    for (let index = 0; index < 4; index++)
      responses.push(await send({ target: '/api/_cms/limited/echo/x', headers: client }))
    expect(responses.map(response => response.status)).toEqual([200, 200, 200, 429])
    expect(responses.map(response => response.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0'])
    expect(responses[3]!.headers['ratelimit-limit']).toBe('3')
    expect(Number(responses[3]!.headers['retry-after'])).toBeGreaterThan(0)
    expect(cms.state.requests).toHaveLength(3)
    // Two addresses of one IPv6 /64 are one client.
    const sameNetwork = []
    for (const address of ['2001:db8:0:1::a', '2001:db8:0:1::b', '2001:db8:0:1:ffff::1', '2001:db8:0:1::c'])
      sameNetwork.push((await send({ target: '/api/_cms/limited/echo/x', headers: { 'x-forwarded-for': address } })).status)
    expect(sameNetwork).toEqual([200, 200, 200, 429])
    // Another client has its own counter.
    expect((await send({ target: '/api/_cms/limited/echo/x', headers: { 'x-forwarded-for': '192.0.2.78' } })).status).toBe(200)
  })

  it('shares the limit between two server instances on one redis-server', async () => {
    await withTwoInstancesOnRedis(useTestContext().nuxt!.options.nitro.output!.dir!, cmsEnv, async ([portA, portB]) => {
      const client = { 'x-forwarded-for': '192.0.2.99' }
      const statuses = []
      for (const port of [portA, portB, portA, portB, portA])
        statuses.push((await send({ target: '/api/_cms/limited/echo/x', headers: client }, port)).status)
      expect(statuses).toEqual([200, 200, 200, 429, 429])
      expect(cms.state.requests).toHaveLength(3)
    })
  })
})

describe('proxy checks set at runtime (NUXT_CMS_AUTH_APIS_<NAME>_PROXY_…)', () => {
  const serverEntry = () => join(useTestContext().nuxt!.options.nitro.output!.dir!, 'server/index.mjs')

  it('applies overrides on the built server: allow-list, methods, rate limit', async () => {
    const port = await freePort()
    const child = await startListening('node', [serverEntry()], port, { env: {
      ...process.env,
      ...cmsEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      NUXT_CMS_AUTH_APIS_STRICT_PROXY_ALLOWED_IPS: '127.0.0.1,::1,::ffff:127.0.0.1',
      NUXT_CMS_AUTH_APIS_QUERYKEY_PROXY_METHODS: 'GET,POST',
      NUXT_CMS_AUTH_APIS_LIMITED_PROXY_RATE_LIMIT: '{"limit":1,"window":60}',
    } })
    try {
      expect((await send({ target: '/api/_cms/strict/echo/x' }, port)).status).toBe(200)
      // querykey's rule for /echo/** still says GET only; elsewhere POST is now allowed.
      expect((await send({ method: 'POST', target: '/api/_cms/querykey/echo/x', body: '{}' }, port)).status).toBe(405)
      // (rawRequest, not send: the mock's 404 page quotes the URL, and querykey's key is in the query.)
      expect((await rawRequest(port, { method: 'POST', target: '/api/_cms/querykey/other', body: '{}' })).status).toBe(404)
      const client = { 'x-forwarded-for': '192.0.2.44' }
      expect((await send({ target: '/api/_cms/limited/echo/x', headers: client }, port)).status).toBe(200)
      expect((await send({ target: '/api/_cms/limited/echo/x', headers: client }, port)).status).toBe(429)
    }
    finally {
      await stopProcess(child)
    }
  })

  it.each([
    ['NUXT_CMS_AUTH_APIS_STRICT_PROXY_ALLOWED_IPS', '10.0.0.0/33', 'cmsAuth.apis.strict.proxy.allowedIPs (NUXT_CMS_AUTH_APIS_STRICT_PROXY_ALLOWED_IPS) has "10.0.0.0/33", which is not an IP address'],
    ['NUXT_CMS_AUTH_APIS_LIMITED_PROXY_RATE_LIMIT', 'lots', 'cmsAuth.apis.limited.proxy.rateLimit (NUXT_CMS_AUTH_APIS_LIMITED_PROXY_RATE_LIMIT) must be false or { limit, window, by? }'],
  ])('refuses to start with a bad %s, naming it (never an open proxy)', async (variable, value, message) => {
    const port = await freePort()
    const started = startListening('node', [serverEntry()], port, { env: { ...process.env, ...cmsEnv, PORT: String(port), HOST: '127.0.0.1', [variable]: value } })
    const error = await started.then(child => stopProcess(child).then(() => undefined), (failure: Error) => failure)
    expect(error?.message).toContain(message)
    expect(error?.message).not.toMatch(/\n\s+at /)
  })
})

describe('the secret stays on the server', () => {
  it('is never sent to or by the browser, which calls the proxy route itself', async () => {
    const page = await createPage('/')
    const browserTraffic: string[] = []
    page.on('request', request => browserTraffic.push(`${request.method()} ${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`))
    page.on('response', async response => browserTraffic.push(JSON.stringify(await response.allHeaders()), await response.text().catch(() => '')))
    try {
      cms.reset()
      await page.click('#to-browse')
      await page.waitForSelector('#browser-posts li')
      await page.click('#send')
      await page.waitForFunction(() => document.querySelector('#stored')!.textContent!.trim().length > 0)
      expect(await page.textContent('#stored')).toContain('inquiry-')
      // Everything the CMS saw since the reset came from the browser's calls (the proxy does not pass User-Agent on).
      const fromBrowser = cms.state.requests
      expect(fromBrowser.map(request => `${request.method} ${request.path}`)).toEqual(['GET /lab/microcms/api/v1/blogs', 'POST /lab/microcms/api/v1/inquiries'])
      expect(fromBrowser.every(request => request.headers['x-microcms-api-key'] === secret)).toBe(true)
      expect(browserTraffic.some(line => line.includes(`${url('/api/_cms/lab/microcms/api/v1/blogs')}`))).toBe(true)
      seen.push(...browserTraffic, await page.content())
      expect(browserTraffic.join('\n')).not.toContain(secret)
      expect(await page.content()).not.toContain(secret)
    }
    finally {
      await page.close()
    }
  })

  it('is nowhere in the client build output', async () => {
    const publicDir = join(useTestContext().nuxt!.options.nitro.output!.dir!, 'public')
    const files = await readdir(publicDir, { recursive: true, withFileTypes: true })
    const scanned = files.filter(file => file.isFile())
    expect(scanned.length).toBeGreaterThan(0)
    for (const file of scanned)
      expect(await readFile(join(file.parentPath, file.name), 'utf8'), file.name).not.toContain(secret)
  })

  it('is in no rendered page, payload or proxy response, errors included', async () => {
    for (const target of ['/', '/_payload.json', '/api/_cms/lab/unknown-endpoint', '/api/_cms/lab/nope/%2e%2e'])
      await send({ target })
    expect(seen.length).toBeGreaterThan(60)
    for (const text of seen)
      expect(text).not.toContain(secret)
    expect(seen.join('\n')).not.toContain(cms.url)
  })
})
