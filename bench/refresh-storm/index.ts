/**
 * Refresh storm: N requests at once right after the access token expired. Counts the refresh
 * calls that reached the CMS (the mock, over real HTTP on 127.0.0.1, rotating refresh tokens and
 * refusing reuse), the requests that succeeded, and the wall time, for the module's token
 * session (expiry seen before sending, or learnt from a 401) and for a naive interceptor that
 * refreshes on every 401, the hand-written pattern the module replaces.
 * Run: npm run bench:refresh  (BENCH_SIZES=10,100 to choose N)
 */
import { $fetch } from 'ofetch'
import { listenMockCms } from '../../test/mock-cms/listen'
import { members } from '../../test/mock-cms/members'
import { createNodeSession } from '../../test/utils/node-session'

const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number)
const cms = await listenMockCms()
const api = `${cms.url}/kuroco/rcms-api/3`
const member = members[1]!
// A refresh that takes as long as a real CMS's (token signing, a database write).
const refreshDelay = Number(process.env.BENCH_REFRESH_DELAY ?? 20)

interface Row { n: number, variant: string, refreshes: number, ok: number, failed: number, ms: number }

async function prepare() {
  cms.reset()
  await $fetch(`${cms.url}/__mock/knobs`, { method: 'POST', body: { refreshDelay } })
  const node = createNodeSession('kuroco', api)
  await node.session.login({ email: member.email, password: member.password })
  await $fetch(`${cms.url}/__mock/expire-access`, { method: 'POST' })
  return node
}

async function storm(n: number, variant: string, request: () => Promise<unknown>): Promise<Row> {
  const started = performance.now()
  const results = await Promise.allSettled(Array.from({ length: n }, request))
  const ms = performance.now() - started
  const ok = results.filter(result => result.status === 'fulfilled').length
  return { n, variant, refreshes: cms.state.counters['kuroco.refresh'] ?? 0, ok, failed: n - ok, ms }
}

/** What apps write by hand: on 401, refresh with the current refresh token and retry, no coordination. */
function naiveInterceptor(tokens: { accessToken: string, refreshToken?: string }) {
  const call = (token: string) => $fetch('/content/members', { baseURL: api, headers: { 'x-rcms-api-access-token': token }, retry: 0 })
  return async () => {
    try {
      return await call(tokens.accessToken)
    }
    catch {
      const fresh = await $fetch<any>('/token', { baseURL: api, method: 'POST', body: { refresh_token: tokens.refreshToken }, retry: 0 })
      Object.assign(tokens, { accessToken: fresh.access_token.value, refreshToken: fresh.refresh_token.value })
      return call(tokens.accessToken)
    }
  }
}

const rows: Row[] = []
for (const n of sizes) {
  let node = await prepare()
  node.storage.write({ ...node.storage.tokens()!, expiresAt: Date.now() - 1 })
  rows.push(await storm(n, 'module, expiry known before sending', () => node.get('/content/members')))

  node = await prepare()
  rows.push(await storm(n, 'module, expiry learnt from 401', () => node.get('/content/members')))

  node = await prepare()
  rows.push(await storm(n, 'naive 401 interceptor', naiveInterceptor({ ...node.storage.tokens()! })))
}
await cms.close()

console.log(`\nRefresh storm: N concurrent requests after the access token expired (refresh takes ${refreshDelay} ms at the CMS)\n`)
console.log('| N | client | refresh calls at the CMS | succeeded | failed | total ms |')
console.log('| ---: | --- | ---: | ---: | ---: | ---: |')
for (const row of rows)
  console.log(`| ${row.n} | ${row.variant} | ${row.refreshes} | ${row.ok} | ${row.failed} | ${row.ms.toFixed(0)} |`)
