import { createHmac, randomBytes } from 'node:crypto'
import { $fetch, setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { listenMockCms } from '../mock-cms/listen'
import { releaseHeld, sentBytes } from '../mock-cms/vendors/cache-lab'
import { members } from '../mock-cms/members'
import { fixtureDir } from '../utils/fixtures'
import { rawRequest } from '../utils/raw-http'
import { withTwoInstancesOnRedis } from '../utils/shared-redis'

// The proxy cache (`proxy.cache`) and the webhooks that purge it, on a built server against the
// mock CMS's cache lab (test/mock-cms/vendors/cache-lab.ts), which counts what reached it.
const cms = await listenMockCms()
const contentSecret = randomBytes(24).toString('hex')
const otherSecret = randomBytes(24).toString('hex')
const signedSecrets = { stories: randomBytes(24).toString('hex'), entries: randomBytes(24).toString('hex'), graph: randomBytes(24).toString('hex') }
const previewSecret = randomBytes(24).toString('hex')
const env = {
  NUXT_CMS_AUTH_APIS_CONTENT_BASE_URL: `${cms.url}/cachelab/content`,
  NUXT_CMS_AUTH_APIS_OTHER_BASE_URL: `${cms.url}/cachelab/other`,
  NUXT_PUBLIC_CMS_AUTH_APIS_UNSET_BASE_URL: `${cms.url}/cachelab/unset`,
  NUXT_CMS_AUTH_APIS_MEMBERS_BASE_URL: `${cms.url}/kuroco/rcms-api/3`,
  NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_BASE_URL: `${cms.url}/kuroco/rcms-api/4`,
  NUXT_CMS_AUTH_APIS_CONTENT_WEBHOOK_SECRET: contentSecret,
  NUXT_CMS_AUTH_APIS_OTHER_WEBHOOK_SECRET: otherSecret,
  NUXT_CMS_AUTH_APIS_STORIES_BASE_URL: `${cms.url}/cachelab/stories`,
  NUXT_CMS_AUTH_APIS_ENTRIES_BASE_URL: `${cms.url}/cachelab/entries`,
  NUXT_CMS_AUTH_APIS_GRAPH_BASE_URL: `${cms.url}/cachelab/graph`,
  NUXT_CMS_AUTH_APIS_STORIES_WEBHOOK_SECRET: signedSecrets.stories,
  NUXT_CMS_AUTH_APIS_ENTRIES_WEBHOOK_SECRET: signedSecrets.entries,
  NUXT_CMS_AUTH_APIS_GRAPH_WEBHOOK_SECRET: signedSecrets.graph,
  NUXT_CMS_AUTH_APIS_STORIES_PREVIEW_TOKEN: randomBytes(12).toString('hex'),
  NUXT_CMS_AUTH_APIS_STORIES_PREVIEW_SECRET: previewSecret,
  NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url'),
}
await setup({ rootDir: fixtureDir('proxy-cache'), server: true, browser: false, env })

afterAll(() => cms.close())
beforeEach(() => cms.reset())

const serverPort = () => Number(new URL(url('/')).port)

let unique = 0
/** A path no other test has cached (entries outlive `cms.reset()`). */
const fresh = (prefix = '') => `${prefix}/t${++unique}-${Date.now()}`
const calls = (api: string, path: string) => cms.state.counters[`cachelab /${api}${path.split('?')[0]}`] ?? 0

async function get(path: string, headers: Record<string, string> = {}, base = url('/')) {
  const response = await fetch(new URL(path, base), { headers })
  const text = await response.text()
  return { status: response.status, cache: response.headers.get('x-cms-auth-cache'), age: response.headers.get('age'), headers: response.headers, text, json: text.startsWith('{') ? JSON.parse(text) : undefined }
}

// The proxy's transports: node:http for a visitor's request; web fetch for a request made inside
// the server (Nitro's local fetch, through the fixture's /api/local-proxy).
const through = {
  'node:http': (path: string) => get(path),
  'fetch': (path: string) => $fetch<{ cache: string | null, length: string | null, text: string }>('/api/local-proxy', { query: { path } }),
}
const versionOf = (answer: { text: string }): number => JSON.parse(answer.text).version

function microcmsWebhook(body: string, signature = createHmac('sha256', contentSecret).update(body).digest('hex'), base = url('/')) {
  return fetch(new URL('/api/_cms/_webhook/content', base), { method: 'POST', headers: { 'content-type': 'application/json', 'x-microcms-signature': signature }, body })
}

describe('proxy.cache: what is shared', () => {
  it('answers a second GET from the cache: one CMS call, the same bytes, HIT with Age', async () => {
    const path = fresh()
    const first = await get(`/api/_cms/content${path}`)
    const second = await get(`/api/_cms/content${path}`)
    expect([first.status, first.cache, second.status, second.cache]).toEqual([200, 'MISS', 200, 'HIT'])
    expect(second.text).toBe(first.text)
    expect(Number(second.age)).toBeGreaterThanOrEqual(0)
    expect(second.headers.get('content-type')).toBe('application/json')
    expect(calls('content', path)).toBe(1)
    // The CMS was asked for the whole, uncompressed body, whatever the visitor accepts.
    expect(first.json.encoding).toBe('identity')
  })

  it('keys by path and query as received, Accept, Accept-Language and the API\'s forwarded headers', async () => {
    const path = fresh()
    const variants = [
      [`${path}?a=1&b=2`, {}],
      [`${path}?b=2&a=1`, {}],
      [`${path}?a=1&b=2`, { 'accept-language': 'ja' }],
      [`${path}?a=1&b=2`, { accept: 'text/plain' }],
      [`${path}?a=1&b=2`, { 'x-locale': 'de' }],
    ] as const
    for (const [target, headers] of variants)
      expect((await get(`/api/_cms/content${target}`, headers)).cache).toBe('MISS')
    for (const [target, headers] of variants)
      expect((await get(`/api/_cms/content${target}`, headers)).cache).toBe('HIT')
    expect(calls('content', path)).toBe(variants.length)
    expect((await get(`/api/_cms/content${path}?a=1&b=2`, { 'accept-language': 'ja' })).json.language).toBe('ja')
  })

  it.each([
    ['a Set-Cookie', '?cookie=1'],
    ['Cache-Control: no-store', '?cc=no-store'],
    ['Cache-Control: private', '?cc=private,max-age=60'],
    ['Cache-Control: no-cache', '?cc=no-cache'],
    ['a 500', '?status=500'],
    ['a 404 without max-age', '?status=404'],
    ['Vary on a header the key does not hold', '?vary=Authorization'],
    ['a body over maxEntrySize (streamed)', '?size=8000'],
  ])('never stores a response with %s', async (_, query) => {
    const path = fresh()
    const answers = [await get(`/api/_cms/content${path}${query}`), await get(`/api/_cms/content${path}${query}`)]
    expect(answers.map(answer => answer.cache)).toEqual(['MISS', 'MISS'])
    expect(calls('content', path)).toBe(2)
    expect(answers[0]!.headers.get('set-cookie')).toBeNull()
  })

  it('stores a 404 the CMS gives a max-age', async () => {
    const path = fresh()
    const answers = [await get(`/api/_cms/content${path}?status=404&cc=max-age=30`), await get(`/api/_cms/content${path}?status=404&cc=max-age=30`)]
    expect(answers.map(answer => [answer.status, answer.cache])).toEqual([[404, 'MISS'], [404, 'HIT']])
  })

  it('bypasses a Range request and a rule with cache: false; answers HEAD from a GET\'s entry', async () => {
    const path = fresh()
    expect((await get(`/api/_cms/content${path}`, { range: 'bytes=0-1' })).cache).toBe('BYPASS')
    expect((await get(`/api/_cms/content/nocache${path}`)).cache).toBeNull()
    expect((await get(`/api/_cms/content/nocache${path}`)).cache).toBeNull()
    await get(`/api/_cms/content${path}`)
    const head = await fetch(url(`/api/_cms/content${path}`), { method: 'HEAD' })
    expect([head.status, head.headers.get('x-cms-auth-cache'), await head.text()]).toEqual([200, 'HIT', ''])
    expect(calls('content', path)).toBe(2)
  })

  it('still runs the route\'s checks before a hit: same origin, methods', async () => {
    const path = fresh()
    await get(`/api/_cms/content${path}`)
    expect((await get(`/api/_cms/content${path}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await fetch(url(`/api/_cms/content${path}`), { method: 'DELETE' })).status).toBe(405)
    expect(calls('content', path)).toBe(1)
  })

  it('sends N = 200 concurrent cold requests of one URL to the CMS once', async () => {
    const path = fresh()
    const answers = await Promise.all(Array.from({ length: 200 }, () => get(`/api/_cms/content${path}?ms=300`)))
    expect(answers.every(answer => answer.status === 200 && answer.json.version === 1)).toBe(true)
    expect(answers.filter(answer => answer.cache === 'MISS')).toHaveLength(1)
    expect(calls('content', path)).toBe(1)
  })

  it.each(Object.entries(through))('%s: serves a stale entry while it revalidates once in the background, then the new one', async (_, send) => {
    // /short/** is fresh for 1 s; the CMS takes 300 ms to answer this path.
    const path = fresh('/short/slow')
    expect(versionOf(await send(`/api/_cms/content${path}`))).toBe(1)
    await new Promise(resolve => setTimeout(resolve, 1100))
    const stale = await Promise.all(Array.from({ length: 10 }, () => send(`/api/_cms/content${path}`)))
    expect(stale.map(answer => [answer.cache, versionOf(answer)])).toEqual(Array.from({ length: 10 }, () => ['STALE', 1]))
    // Until the background answer is in (300 ms), the entry is served stale; no request asks again.
    await expect.poll(async () => versionOf(await send(`/api/_cms/content${path}`)), { timeout: 3000, interval: 50 }).toBe(2)
    const renewed = await send(`/api/_cms/content${path}`)
    expect([renewed.cache, versionOf(renewed)]).toEqual(['HIT', 2])
    expect(calls('content', path)).toBe(2)
  })
})

describe('proxy.cache: chunked answers (no Content-Length), on each transport', () => {
  // What the cache lab sends (its Accept-Language is whatever the client's fetch put there).
  const lab = (path: string, version: number, size: number, { text }: { text: string }) =>
    JSON.stringify({ path: `/content${path}`, version, language: JSON.parse(text).language, encoding: 'identity', padding: 'x'.repeat(size) })

  // Within maxEntrySize (4096): stored, the second request a HIT. Over it: sent on byte for
  // byte, the bytes held first included, and never from the cache.
  it.each([
    ['node:http', 2000, ['MISS', 'HIT'], [1, 1]],
    ['node:http', 9000, ['MISS', 'MISS'], [1, 2]],
    ['fetch', 2000, ['MISS', 'HIT'], [1, 1]],
    ['fetch', 9000, ['MISS', 'MISS'], [1, 2]],
  ] as const)('%s: a chunked answer with %i bytes of padding: %j', async (transport, size, statuses, versions) => {
    const path = fresh()
    const answers = [await through[transport](`/api/_cms/content${path}?chunked=1&size=${size}`), await through[transport](`/api/_cms/content${path}?chunked=1&size=${size}`)]
    expect(answers.map(answer => answer.cache)).toEqual(statuses)
    expect(answers.map(answer => answer.text)).toEqual(versions.map(version => lab(path, version, size, answers[0]!)))
    expect(calls('content', path)).toBe(versions[1])
  })

  it.each([
    [2000, ['MISS', 'HIT'], [1, 1]],
    [9000, ['MISS', 'MISS'], [1, 2]],
  ] as const)('in-process (a CMS this app serves): a chunked answer with %i bytes of padding: %j', async (size, statuses, versions) => {
    const path = fresh()
    // What the proxy reads in-process has no Content-Length either.
    expect(await $fetch('/api/local-proxy', { query: { path: `/local-cms/probe${path}?size=${size}` } })).toMatchObject({ length: null })
    const answers = [await get(`/api/_cms/local${path}?size=${size}`), await get(`/api/_cms/local${path}?size=${size}`)]
    expect(answers.map(answer => answer.cache)).toEqual(statuses)
    expect(answers.map(answer => answer.text)).toEqual(versions.map(version => JSON.stringify({ path, version, padding: 'x'.repeat(size) })))
  })
})

describe('proxy.cache: the CMS\'s bytes, whatever the credential', () => {
  it.each([
    ['a header secret (microCMS)', 'content', 'content-read-key'],
    ['a query secret (Storyblok)', 'stories', 'stories-read-token'],
  ])('with %s, a HIT is exactly what the CMS sent: nothing redacted or re-encoded', async (_, api, secret) => {
    const path = fresh()
    const bytes = async () => {
      const response = await fetch(url(`/api/_cms/${api}${path}?raw=1`))
      return { cache: response.headers.get('x-cms-auth-cache'), body: Buffer.from(await response.arrayBuffer()) }
    }
    const [miss, hit] = [await bytes(), await bytes()]
    const sent = Buffer.from(sentBytes(`/${api}${path}`)!)
    // The answer quotes the credential, as an error body might: a redaction would have changed it.
    expect(sent.toString('latin1')).toContain(secret)
    expect([miss.cache, hit.cache]).toEqual(['MISS', 'HIT'])
    expect(miss.body.equals(sent)).toBe(true)
    expect(hit.body.equals(sent)).toBe(true)
  })

  it('bypasses the cache for a request in preview (a real preview cookie), not for a forged cookie', async () => {
    const path = fresh()
    await get(`/api/_cms/content${path}`)
    const entered = await fetch(url(`/api/_cms/_preview/stories?secret=${previewSecret}`), { redirect: 'manual' })
    const cookie = entered.headers.getSetCookie().find(value => value.startsWith('cms-auth-preview='))!.split(';')[0]!
    expect((await get(`/api/_cms/content${path}`, { cookie: 'cms-auth-preview=forged' })).cache).toBe('HIT')
    const previewed = await get(`/api/_cms/content${path}`, { cookie })
    expect([previewed.cache, previewed.json.version]).toEqual(['BYPASS', 2])
    expect(calls('content', path)).toBe(2)
  })
})

describe('a member\'s response is never cached or shared', () => {
  async function logIn(api: string, n: number): Promise<string> {
    const response = await fetch(url(`/api/_cms/_session/${api}/login`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: members[n]!.email, password: members[n]!.password }),
    })
    expect(response.status).toBe(200)
    return response.headers.getSetCookie().map(cookie => cookie.split(';')[0]!).filter(pair => !pair.endsWith('=')).join('; ')
  }

  it.each(['members', 'memberCookie'])('%s: two sessions, one URL, each its own answer, private and no-store', async (api) => {
    const [first, second] = [await logIn(api, 1), await logIn(api, 2)]
    const answers = []
    for (const cookie of [first, second, first, second])
      answers.push(await get(`/api/_cms/${api}/content/members`, { cookie }))
    expect(answers.map(answer => answer.json.name)).toEqual([members[1]!.name, members[2]!.name, members[1]!.name, members[2]!.name])
    for (const answer of answers) {
      expect(answer.headers.get('cache-control')).toBe('private, no-store')
      expect(answer.cache).toBeNull()
    }
    const anonymous = await get(`/api/_cms/${api}/content/members`)
    expect(anonymous.text).not.toContain(members[1]!.name)
    expect(anonymous.text).not.toContain(members[2]!.name)
  })
})

describe('webhooks', () => {
  async function cached(api: string) {
    const path = fresh()
    await get(`/api/_cms/${api}${path}`)
    return path
  }

  const post = (target: string, headers: Record<string, string>, body: string) => rawRequest(serverPort(), { method: 'POST', target, headers, body })
  const signed = (body: string) => ({ 'content-type': 'application/json', 'x-microcms-signature': createHmac('sha256', contentSecret).update(body).digest('hex') })

  it.each([
    ['no signature', () => post('/api/_cms/_webhook/content', { 'content-type': 'application/json' }, '{}'), 401],
    ['a bad signature', () => post('/api/_cms/_webhook/content', { 'x-microcms-signature': 'ab'.repeat(32) }, '{"api":"posts"}'), 401],
    ['a signature of another body', () => post('/api/_cms/_webhook/content', signed('{}'), '{"api":"posts"}'), 401],
    ['a body over the limit', () => post('/api/_cms/_webhook/content', signed('{}'), `{"x":"${'y'.repeat(8192)}"}`), 413],
    ['a GET', () => rawRequest(serverPort(), { target: '/api/_cms/_webhook/content' }), 405],
  ])('refuses %s and purges nothing', async (_, send, status) => {
    const path = await cached('content')
    const response = await send()
    expect(response.status).toBe(status)
    expect(response.headers['cache-control']).toBe('no-store')
    expect((await get(`/api/_cms/content${path}`)).cache).toBe('HIT')
    expect(await $fetch('/api/webhook-calls')).toEqual([])
  })

  // Each signed as the vendor documents it (test/unit/core/webhooks/verifiers.test.ts has the edge cases).
  const signers: Record<keyof typeof signedSecrets, (body: string, secret: string) => Record<string, string>> = {
    // Storyblok: the hex HMAC-SHA1 of the raw body.
    stories: (body, secret) => ({ 'webhook-signature': createHmac('sha1', secret).update(body).digest('hex') }),
    // Contentful: method, path, the signed headers (sorted, name:value;…) and the body, joined by newlines.
    entries: (body, secret) => {
      const headers: Record<string, string> = { 'x-contentful-topic': 'ContentManagement.Entry.publish', 'x-contentful-timestamp': String(Date.now()) }
      const names = [...Object.keys(headers), 'x-contentful-signed-headers'].sort()
      headers['x-contentful-signed-headers'] = names.join(',')
      const canonical = ['POST', '/api/_cms/_webhook/entries', names.map(name => `${name}:${headers[name]}`).join(';'), body].join('\n')
      return { ...headers, 'x-contentful-signature': createHmac('sha256', secret).update(canonical).digest('hex') }
    },
    // Hygraph: base64 HMAC-SHA256 of {"Body","EnvironmentName","TimeStamp"}.
    graph: (body, secret) => {
      const t = Date.now()
      const sign = createHmac('sha256', secret).update(JSON.stringify({ Body: body, EnvironmentName: 'master', TimeStamp: t })).digest('base64')
      return { 'gcms-signature': `sign=${sign}, env=master, t=${t}` }
    },
  }

  it.each([['Storyblok', 'stories'], ['Contentful', 'entries'], ['Hygraph', 'graph']] as const)('%s: a bad signature purges nothing; a signed request purges that API\'s entries only', async (_, api) => {
    const [own, content] = [await cached(api), await cached('content')]
    const body = JSON.stringify({ action: 'published', story_id: 1 })
    const send = (secret: string) => fetch(url(`/api/_cms/_webhook/${api}`), { method: 'POST', headers: { 'content-type': 'application/json', ...signers[api](body, secret) }, body })
    expect((await send(randomBytes(24).toString('hex'))).status).toBe(401)
    expect((await get(`/api/_cms/${api}${own}`)).cache).toBe('HIT')
    expect(await $fetch('/api/webhook-calls')).toEqual([])
    const accepted = await send(signedSecrets[api])
    expect(accepted.status).toBe(200)
    expect(await $fetch('/api/webhook-calls')).toMatchObject([{ api, payload: JSON.parse(body) }])
    expect((await get(`/api/_cms/${api}${own}`)).cache).toBe('MISS')
    expect((await get(`/api/_cms/content${content}`)).cache).toBe('HIT')
  })

  it('refuses everything while the deployment has no secret, naming the variable', async () => {
    const response = await fetch(url('/api/_cms/_webhook/unset'), { method: 'POST', body: '{}' })
    expect(response.status).toBe(500)
    expect((await response.json()).message).toContain('NUXT_CMS_AUTH_APIS_UNSET_WEBHOOK_SECRET')
  })

  it('purges only its own API\'s entries on a valid signature, and calls cms-auth:webhook with the payload', async () => {
    const [content, other] = [await cached('content'), await cached('other')]
    const payload = { service: 'blog', api: 'posts', id: 'a1', type: 'edit' }
    const response = await microcmsWebhook(JSON.stringify(payload))
    expect(response.status).toBe(200)
    const { purged } = await response.json()
    expect(purged).toBeGreaterThanOrEqual(1)
    expect(await $fetch('/api/webhook-calls')).toEqual([{ api: 'content', payload, purged }])
    expect((await get(`/api/_cms/content${content}`)).cache).toBe('MISS')
    expect((await get(`/api/_cms/other${other}`)).cache).toBe('HIT')
  })

  it('verifies a CMS that does not sign by its shared-secret header, in constant time', async () => {
    const [content, other] = [await cached('content'), await cached('other')]
    const send = (token: string) => fetch(url('/api/_cms/_webhook/other'), { method: 'POST', headers: { 'x-webhook-token': token }, body: 'changed' })
    expect((await send(`${otherSecret}x`)).status).toBe(401)
    expect((await get(`/api/_cms/other${other}`)).cache).toBe('HIT')
    expect((await send(otherSecret)).status).toBe(200)
    expect(await $fetch('/api/webhook-calls')).toMatchObject([{ api: 'other', payload: 'changed' }])
    expect((await get(`/api/_cms/other${other}`)).cache).toBe('MISS')
    expect((await get(`/api/_cms/content${content}`)).cache).toBe('HIT')
  })
})

describe('two instances on one redis-server', () => {
  it('share the cache and its purge', async () => {
    await withTwoInstancesOnRedis(useTestContext().nuxt!.options.nitro.output!.dir!, env, async ([portA, portB]) => {
      const [a, b] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]
      const path = `/api/_cms/content${fresh()}`
      const first = await get(path, {}, a)
      const second = await get(path, {}, b)
      expect([first.cache, second.cache]).toEqual(['MISS', 'HIT'])
      expect(second.text).toBe(first.text)
      expect((await microcmsWebhook('{"api":"posts"}', undefined, b)).status).toBe(200)
      expect((await get(path, {}, a)).cache).toBe('MISS')
      expect((await get(path, {}, b)).cache).toBe('HIT')
      expect(calls('content', path.slice('/api/_cms/content'.length))).toBe(2)

      // B asks the CMS before A is told of a change; the answer (the old content) comes after A's purge.
      const racing = fresh()
      const filling = get(`/api/_cms/content${racing}?hold=race`, {}, b)
      await expect.poll(() => calls('content', racing), { timeout: 5000, interval: 20 }).toBe(1)
      expect((await microcmsWebhook('{"api":"posts"}', undefined, a)).status).toBe(200)
      expect(releaseHeld('race')).toBe(true)
      expect(await filling).toMatchObject({ cache: 'MISS', json: { version: 1 } })
      const afterPurge = await get(`/api/_cms/content${racing}?hold=race`, {}, a)
      expect([afterPurge.cache, afterPurge.json.version]).toEqual(['MISS', 2])
      expect((await get(`/api/_cms/content${racing}?hold=race`, {}, b)).cache).toBe('HIT')
    })
  })
})
