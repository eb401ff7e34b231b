import { $fetch, createPage, setup } from '@nuxt/test-utils/e2e'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { listenMockCms } from '../mock-cms/listen'
import { chromiumLaunch } from '../utils/chromium'
import { fixtureDir } from '../utils/fixtures'

const runtimeToken = 'runtime-token-from-env'
const blogKey = 'runtime-blog-key-from-env'
// The CMS accepts only the values set at runtime, never the build-time ones.
const cms = await listenMockCms({ kuroco: runtimeToken, microcms: blogKey })
const otherHost = await listenMockCms()

await setup({
  rootDir: fixtureDir('static'),
  server: true,
  browser: true,
  browserOptions: { type: 'chromium', launch: chromiumLaunch },
  env: {
    NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_BASE_URL: `${cms.url}/kuroco/rcms-api/1`,
    NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN: runtimeToken,
    NUXT_PUBLIC_CMS_AUTH_APIS_OPEN_NEWS_BASE_URL: `${cms.url}/kuroco/rcms-api/2`,
    NUXT_PUBLIC_CMS_AUTH_APIS_BLOG_BASE_URL: `${cms.url}/microcms/api/v1`,
    NUXT_PUBLIC_CMS_AUTH_APIS_BLOG_TOKEN: blogKey,
  },
})

afterAll(async () => {
  await cms.close()
  await otherHost.close()
})

beforeEach(() => cms.reset())

describe('static and none APIs on a built server', () => {
  it('renders content fetched during SSR with the Kuroco token header set from env at runtime', async () => {
    const html = await $fetch<string>('/')
    expect(html).toContain('Kuroco static token reached the CMS')
    expect(html).not.toContain('id="error"')
    const [request] = cms.state.requests
    expect(request).toMatchObject({ method: 'GET', path: '/kuroco/rcms-api/1/content/news' })
    expect(request!.headers['x-rcms-api-access-token']).toBe(runtimeToken)
    expect(JSON.stringify(cms.state.requests)).not.toContain('build-time-token')
  })

  it('sends nothing to an API whose auth is none', async () => {
    const html = await $fetch<string>('/open')
    expect(html).toContain('Open news: this API needs no credential')
    expect(cms.state.requests).toHaveLength(1)
    const headers = cms.state.requests[0]!.headers
    expect(headers).not.toHaveProperty('x-rcms-api-access-token')
    expect(headers).not.toHaveProperty('authorization')
  })

  it('attaches nothing when the API client is pointed at a host that is not configured', async () => {
    const html = await $fetch<string>(`/other-host?url=${encodeURIComponent(`${otherHost.url}/__mock/echo`)}`)
    const echoed = JSON.parse(html.match(/<pre id="echo">(.*?)<\/pre>/s)![1]!.replaceAll('&quot;', '"'))
    expect(echoed).toHaveProperty('host')
    expect(Object.keys(echoed)).not.toContain('x-rcms-api-access-token')
    expect(JSON.stringify(echoed)).not.toContain(runtimeToken)
  })

  it('explains an unknown API name instead of sending a bare request', async () => {
    const html = await $fetch<string>('/missing-api')
    expect(html).toContain('No API named &quot;nope&quot;: add it to cmsAuth.apis in nuxt.config')
    expect(cms.state.requests).toEqual([])
  })

  it('explains, when a page calls useCmsAuth, that this app has no login API', async () => {
    const html = await $fetch<string>('/no-login')
    expect(html).toContain('useCmsAuth(&quot;news&quot;) needs an API with auth: &#39;dynamic&#39; or &#39;cookie&#39; in cmsAuth.apis; this app has none, so no login code is installed')
  })

  it('attaches the microCMS key in the browser after client-side navigation', async () => {
    const page = await createPage('/')
    try {
      await page.click('#to-browse')
      await page.waitForSelector('#blogs li')
      expect(await page.textContent('#blogs')).toContain('microCMS API key sent as X-MICROCMS-API-KEY')
      const fromBrowser = cms.state.requests.filter(r => r.path.startsWith('/microcms/api/v1/blogs') && r.method === 'GET')
      expect(fromBrowser).toHaveLength(1)
      expect(fromBrowser[0]!.headers['user-agent']).toContain('Chrome')
      expect(fromBrowser[0]!.headers['x-microcms-api-key']).toBe(blogKey)
      expect(fromBrowser[0]!.path).toBe('/microcms/api/v1/blogs?limit=10')
    }
    finally {
      await page.close()
    }
  })
})
