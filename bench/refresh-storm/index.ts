/**
 * Refresh storm: N requests at once right after the access token expired. Counts the refresh
 * calls that reached the CMS (the mock, over real HTTP on 127.0.0.1, rotating refresh tokens and
 * refusing reuse), the requests that succeeded, and the wall time, for the module's token
 * session (expiry seen before sending, or learnt from a 401) and for a naive interceptor that
 * refreshes on every 401, the hand-written pattern the module replaces.
 * Run: npm run bench:refresh [-- --repeat 3 --json file]  (BENCH_SIZES=10,100 to choose N)
 * With --repeat, times are medians and counts the worst of the runs.
 */
import { $fetch } from 'ofetch'
import { listenMockCms } from '../../test/mock-cms/listen'
import { members } from '../../test/mock-cms/members'
import { createNodeSession } from '../../test/utils/node-session'
import { writeJsonFigures } from '../json-output'
import { median } from '../median'

const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number)
const repeatFlag = process.argv.indexOf('--repeat')
const repeat = repeatFlag === -1 ? 1 : Math.max(1, Number(process.argv[repeatFlag + 1]) || 1)
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

/** One storm per client variant for N, in a fixed order. */
async function round(n: number): Promise<Row[]> {
  let node = await prepare()
  node.storage.write({ ...node.storage.tokens()!, expiresAt: Date.now() - 1 })
  const known = await storm(n, 'module, expiry known before sending', () => node.get('/content/members'))

  node = await prepare()
  const learnt = await storm(n, 'module, expiry learnt from 401', () => node.get('/content/members'))

  node = await prepare()
  const naive = await storm(n, 'naive 401 interceptor', naiveInterceptor({ ...node.storage.tokens()! }))
  return [known, learnt, naive]
}

const rows: Row[] = []
for (const n of sizes) {
  const rounds: Row[][] = []
  for (let run = 0; run < repeat; run++)
    rounds.push(await round(n))
  rows.push(...rounds[0]!.map((first, variant) => {
    const runs = rounds.map(rows => rows[variant]!)
    return {
      ...first,
      refreshes: Math.max(...runs.map(row => row.refreshes)),
      ok: Math.min(...runs.map(row => row.ok)),
      failed: Math.max(...runs.map(row => row.failed)),
      ms: median(runs.map(row => row.ms)),
    }
  }))
}
await cms.close()

console.log(`\nRefresh storm: N concurrent requests after the access token expired (refresh takes ${refreshDelay} ms at the CMS)${repeat > 1 ? `; median time of ${repeat} runs, worst counts` : ''}\n`)
console.log('| N | client | refresh calls at the CMS | succeeded | failed | total ms |')
console.log('| ---: | --- | ---: | ---: | ---: | ---: |')
for (const row of rows)
  console.log(`| ${row.n} | ${row.variant} | ${row.refreshes} | ${row.ok} | ${row.failed} | ${row.ms.toFixed(0)} |`)

writeJsonFigures({ refreshDelayMs: refreshDelay, repeat, rows })
