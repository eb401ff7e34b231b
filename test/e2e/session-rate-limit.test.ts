import { randomBytes } from 'node:crypto'
import { setup, url } from '@nuxt/test-utils/e2e'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { members } from '../mock-cms/members'
import { listenMockCms } from '../mock-cms/listen'
import { fixtureDir } from '../utils/fixtures'

// Rate limits counted per session (`rateLimit.by: 'session'`), set at runtime by env variable on
// the session fixture. The test is the trusted proxy in front, so X-Forwarded-For is the visitor.
const cms = await listenMockCms()
const limit = JSON.stringify({ limit: 3, window: 60, by: 'session' })
const loopback = '127.0.0.1,::1,::ffff:127.0.0.1'
await setup({
  rootDir: fixtureDir('session'),
  server: true,
  browser: false,
  env: {
    NUXT_CMS_AUTH_APIS_MEMBER_SERVER_BASE_URL: `${cms.url}/kuroco/rcms-api/3`,
    NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_BASE_URL: `${cms.url}/kuroco/rcms-api/4`,
    NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_TOO_BASE_URL: `${cms.url}/kuroco/rcms-api/5`,
    NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url'),
    NUXT_CMS_AUTH_APIS_MEMBER_SERVER_PROXY_RATE_LIMIT: limit,
    NUXT_CMS_AUTH_APIS_MEMBER_SERVER_PROXY_TRUSTED_PROXIES: loopback,
    NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_PROXY_RATE_LIMIT: limit,
    NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_PROXY_TRUSTED_PROXIES: loopback,
  },
})

afterAll(() => cms.close())
beforeEach(() => cms.reset())

/** Logs member `n` in through `api`'s session route from `address`; the cookie pairs it set. */
async function logIn(api: string, n: number, address: string): Promise<string> {
  const response = await fetch(url(`/api/_cms/_session/${api}/login`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email: members[n]!.email, password: members[n]!.password }),
  })
  expect(response.status).toBe(200)
  return response.headers.getSetCookie().map(cookie => cookie.split(';')[0]!).filter(pair => !pair.endsWith('=')).join('; ')
}

async function statuses(api: string, requests: Array<{ cookie?: string, address: string }>): Promise<number[]> {
  const answers = []
  for (const { cookie, address } of requests)
    answers.push((await fetch(url(`/api/_cms/${api}/content/members`), { headers: { 'x-forwarded-for': address, ...(cookie ? { cookie } : {}) } })).status)
  return answers
}

describe.each(['memberServer', 'memberCookie'])('rateLimit.by \'session\' on %s', (api) => {
  it('gives each session behind one address its own counter (members behind one NAT)', async () => {
    const [first, second] = [await logIn(api, 1, '192.0.2.200'), await logIn(api, 2, '192.0.2.201')]
    const nat = '198.51.100.7'
    expect(await statuses(api, [1, 2, 3].map(() => ({ cookie: first, address: nat })))).toEqual([200, 200, 200])
    expect(await statuses(api, [1, 2, 3].map(() => ({ cookie: second, address: nat })))).toEqual([200, 200, 200])
    expect(await statuses(api, [{ cookie: first, address: nat }, { cookie: second, address: nat }])).toEqual([429, 429])
  })

  it('counts one session once however many addresses it uses', async () => {
    const cookie = await logIn(api, 3, '192.0.2.202')
    expect(await statuses(api, ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'].map(address => ({ cookie, address })))).toEqual([200, 200, 200, 429])
  })

  it('counts requests without a session, or with invented cookie values, by address', async () => {
    // The names a real login sets, with values the client made up (a fresh one each time).
    const names = (await logIn(api, 4, '192.0.2.203')).split('; ').map(pair => pair.split('=')[0]!)
    const invented = (index: number) => names.map(name => `${name}=made-up-${index}`).join('; ')
    expect(await statuses(api, [1, 2, 3, 4].map(index => ({ cookie: invented(index), address: '203.0.113.50' })))).toEqual([401, 401, 401, 429])
    expect(await statuses(api, [{ address: '203.0.113.50' }])).toEqual([429])
    // Another address has its own counter.
    expect(await statuses(api, [{ address: '203.0.113.51' }])).toEqual([401])
  })
})
