import { randomUUID } from 'node:crypto'
import { $fetch, fetch as fetchPage, setup } from '@nuxt/test-utils/e2e'
import { afterAll, describe, expect, it } from 'vitest'
import { listenMockCms } from '../mock-cms/listen'
import { fixtureDir } from '../utils/fixtures'

// The proxy fixture under `nuxi dev`, where the DevTools route exists. Its secret is unique to this
// run, so finding it in anything the route answers would mean the redaction failed.
const secret = `devtools-secret-${randomUUID()}`
const clientKey = `client-key-${randomUUID()}`
process.env.PROXY_FIXTURE_SECRET = secret
const cms = await listenMockCms({ microcmsWrite: secret })
const env = Object.fromEntries(['LAB', 'GUARDED', 'STRICT', 'LIMITED', 'QUERYKEY'].map(name => [`NUXT_CMS_AUTH_APIS_${name}_BASE_URL`, `${cms.url}/lab`]))

await setup({ rootDir: fixtureDir('proxy'), dev: true, server: true, browser: false, env })

afterAll(async () => {
  await cms.close()
  delete process.env.PROXY_FIXTURE_SECRET
})

interface State { apis: Record<string, unknown>[], requests: Record<string, unknown>[], timeline: Record<string, unknown>[] }
const state = () => $fetch<State>('/_cms-auth/devtools/state')

describe('DevTools route in nuxi dev', () => {
  it('lists every API with its preset, auth mode and credential placement, and no secret', async () => {
    const { apis } = await state()
    expect(apis.map(api => api.name)).toEqual(['lab', 'kuroco', 'querykey', 'guarded', 'strict', 'platform', 'limited'])
    expect(apis[0]).toMatchObject({ name: 'lab', preset: 'microcms', auth: 'static', mode: 'proxy', credential: 'header X-MICROCMS-API-KEY', tokenSet: true, routes: ['/api/_cms/lab'] })
    expect(apis[2]).toMatchObject({ name: 'querykey', preset: 'cockpit', credential: 'query api_key' })
    expect(JSON.stringify(apis)).not.toContain(secret)
  })

  it('records proxied requests with method, status and time, credential query values redacted', async () => {
    const echoed = await fetchPage(`/api/_cms/querykey/echo/items?api_key=${clientKey}&page=2`)
    expect(echoed.status).toBe(200)
    expect(await echoed.text()).toContain(secret) // the mock echoes what it received: the server's key was added
    expect((await fetchPage('/api/_cms/lab/forbidden/x')).status).toBe(403)

    const { requests } = await state()
    expect(requests.slice(0, 2)).toMatchObject([
      { api: 'lab', method: 'GET', path: '/api/_cms/lab/forbidden/x', status: 403 },
      { api: 'querykey', method: 'GET', path: '/api/_cms/querykey/echo/items?api_key=[redacted]&page=2', status: 200 },
    ])
    expect(typeof requests[0]!.ms).toBe('number')
    expect(JSON.stringify(requests)).not.toContain(clientKey)
    expect(JSON.stringify(requests)).not.toContain(secret)
  })

  it('keeps only the known fields of an event the app reports', async () => {
    const answer = await $fetch<{ recorded: boolean }>('/_cms-auth/devtools/events', { method: 'POST', body: { api: 'lab', event: 'login', status: 'logged-in', expiresAt: 123, accessToken: secret } })
    expect(answer.recorded).toBe(true)
    const { timeline } = await state()
    expect(timeline[0]).toMatchObject({ api: 'lab', event: 'login', status: 'logged-in', expiresAt: 123 })
    expect(JSON.stringify(timeline)).not.toContain(secret)
  })

  it('serves the tab page, which holds no data of its own', async () => {
    const page = await $fetch<string>('/_cms-auth/devtools')
    expect(page).toContain('Recent proxied requests')
    expect(page).not.toContain(secret)
  })
})
