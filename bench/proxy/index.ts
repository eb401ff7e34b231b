import { execFileSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { mockTokens } from '../../test/mock-cms/tokens'
import { freePort } from '../../test/utils/raw-http'
import { startListening, stopProcess } from '../../test/utils/processes'
import { ensureRuntime } from '../../test/utils/runtimes'
import { writeJsonFigures } from '../json-output'
import { median } from '../median'

/**
 * Proxy overhead, every target alternated round by round in one run:
 *   Node (the transport's node:http path): the mock CMS directly; a bare node:http keep-alive proxy
 *   with the key added (its own process, no framework, no checks: the ceiling for one hop); the
 *   module's proxy route with every check on; in the same server, a bare h3 `proxyRequest` route,
 *   the bare node:http forward as a Nitro route (no checks: the ceiling for a proxy inside Nitro)
 *   and a route that answers at once (Nitro's own floor); a GET the response cache answers
 *   (`proxy.cache`, after one warm-up miss) against a Nitro route serving the same bytes from memory.
 *   Bun (the transport's fetch path): the module's proxy route and a bare h3 `proxyRequest` route in
 *   one server built for Nitro's bun preset.
 * Then 1000 concurrent GETs of one cold URL through the cached API, counting the CMS calls (one is the target).
 * Then the growth of each server's RSS while 1 GiB streams through each proxy route, after warm-up.
 * `npm run bench:proxy [-- --rounds 3 --seconds 5 --connections 50 --stream-mib 1024 --build --json file]`
 */
const args = process.argv.slice(2)
const option = (name: string, fallback: number) => args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) || fallback : fallback
const rounds = option('rounds', 3)
const seconds = option('seconds', 5)
const connections = option('connections', 50)
const streamMiB = option('stream-mib', 1024)
const appDir = fileURLToPath(new URL('./app', import.meta.url))
const outputs = { node: `${appDir}/.output`, bun: `${appDir}/.output-bun` }
const path = '/microcms/api/v1/blogs'
// The allow-list needs the visitor's address; under Bun it comes from the header the app names.
const client = { 'x-bench-client': '127.0.0.1' }

interface Figures { rps: number, p50: number, p99: number }

async function load(url: string, headers: Record<string, string> = {}, duration = seconds, expectHits = false): Promise<Figures> {
  let misses = 0
  // autocannon gives a response's headers as a flat [name, value, …] list.
  const countMisses = (client: { on: (event: 'headers', listener: (answer: { headers: string[] }) => void) => void }) => client.on('headers', ({ headers: received }) => {
    if (received[received.findIndex(name => name.toLowerCase() === 'x-cms-auth-cache') + 1] !== 'HIT')
      misses++
  })
  const result = await autocannon({ url, connections, duration, headers, ...(expectHits ? { setupClient: countMisses as never } : {}) })
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`)
  // The warm-up run fills the cache; after it, a cached target measures hits only.
  if (misses > 1)
    console.log(`  (${url}: ${misses} responses were not cache hits)`)
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 }
}

/** N concurrent GETs of one URL nobody asked for yet, through the cached API: how many reached the CMS. */
async function coldSingleFlight(node: string, cmsPort: number, n: number): Promise<{ n: number, cmsCalls: number, ms: number, statuses: Record<number, number> }> {
  const coldPath = `/cold-${Date.now()}`
  const started = performance.now()
  const statuses: Record<number, number> = {}
  await Promise.all(Array.from({ length: n }, async () => {
    const response = await fetch(`${node}/api/_cms/cached/cachelab/bench${coldPath}?ms=50`)
    await response.arrayBuffer()
    statuses[response.status] = (statuses[response.status] ?? 0) + 1
  }))
  const ms = performance.now() - started
  const state = await (await fetch(`http://127.0.0.1:${cmsPort}/__mock/state`)).json() as { counters: Record<string, number> }
  return { n, cmsCalls: state.counters[`cachelab /bench${coldPath}`] ?? 0, ms, statuses }
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(status.match(/VmRSS:\s+(\d+)/)![1])
}

/** Streams `mib` MiB through `routeUrl`, sampling the server's RSS; growth is peak minus start. */
async function streamThrough(routeUrl: string, pid: number, mib: number): Promise<number> {
  const size = mib * 1024 * 1024
  const before = rssKiB(pid)
  let peak = before
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKiB(pid))
  }, 20)
  const response = await fetch(`${routeUrl}/bytes?size=${size}`, { headers: client })
  let bytes = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    bytes += chunk.length
  clearInterval(sampler)
  if (bytes !== size)
    throw new Error(`streamed ${bytes} bytes through ${routeUrl}, expected ${size}`)
  return (Math.max(peak, rssKiB(pid)) - before) / 1024
}

const medianOf = (runs: Figures[]): Figures => ({ rps: median(runs.map(run => run.rps)), p50: median(runs.map(run => run.p50)), p99: median(runs.map(run => run.p99)) })
// Per round, then the median: the two sides ran back to back in each round, so a shared machine's
// drift between rounds cancels out instead of landing on one side of the ratio.
const versus = (ours: Figures[], other: Figures[]) => ({
  rps: median(ours.map((run, round) => run.rps / other[round]!.rps)),
  p99: median(ours.map((run, round) => run.p99 / other[round]!.p99)),
})

async function main() {
  const nuxi = fileURLToPath(new URL('../../node_modules/.bin/nuxi', import.meta.url))
  if (args.includes('--build') || !existsSync(`${outputs.node}/server/index.mjs`))
    execFileSync(process.execPath, [nuxi, 'build', appDir], { stdio: 'inherit', env: { ...process.env, BENCH_OUTPUT_DIR: outputs.node } })
  if (args.includes('--build') || !existsSync(`${outputs.bun}/server/index.mjs`))
    execFileSync(process.execPath, [nuxi, 'build', appDir], { stdio: 'inherit', env: { ...process.env, BENCH_OUTPUT_DIR: outputs.bun, NITRO_PRESET: 'bun' } })

  const children: ChildProcess[] = []
  try {
    const jiti = fileURLToPath(new URL('../../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url))
    const cmsPort = await freePort()
    children.push(await startListening(process.execPath, [jiti, fileURLToPath(new URL('./mock-server.ts', import.meta.url))], cmsPort, { env: { ...process.env, PORT: String(cmsPort) } }))
    const cmsUrl = `http://127.0.0.1:${cmsPort}/lab`
    const barePort = await freePort()
    children.push(await startListening(process.execPath, [jiti, fileURLToPath(new URL('./bare-node-proxy.ts', import.meta.url))], barePort, { env: { ...process.env, PORT: String(barePort), CMS_URL: cmsUrl, CMS_KEY: mockTokens.microcmsWrite } }))
    const appEnv = (port: number) => ({ ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', NUXT_CMS_AUTH_APIS_CMS_BASE_URL: cmsUrl, NUXT_CMS_AUTH_APIS_CACHED_BASE_URL: `http://127.0.0.1:${cmsPort}`, BENCH_CMS_URL: cmsUrl, BENCH_CMS_KEY: mockTokens.microcmsWrite })
    const nodePort = await freePort()
    const nodeServer = await startListening(process.execPath, [`${outputs.node}/server/index.mjs`], nodePort, { env: appEnv(nodePort) })
    children.push(nodeServer)
    const bunPort = await freePort()
    const bunServer = await startListening(await ensureRuntime('bun'), [`${outputs.bun}/server/index.mjs`], bunPort, { env: appEnv(bunPort) })
    children.push(bunServer)
    const node = `http://127.0.0.1:${nodePort}`
    const bun = `http://127.0.0.1:${bunPort}`

    const targets = {
      'node: mock CMS directly': () => load(`${cmsUrl}${path}`, { 'x-microcms-api-key': mockTokens.microcmsWrite }),
      'node: bare node:http proxy': () => load(`http://127.0.0.1:${barePort}${path}`),
      'node: nuxt-cms-auth proxy': () => load(`${node}/api/_cms/cms${path}`, client),
      'node: h3 proxyRequest': () => load(`${node}/bare${path}`),
      'node: bare node:http forward in a Nitro route': () => load(`${node}/nitro-bare${path}`),
      'node: Nitro route floor': () => load(`${node}/floor`),
      'node: cached GET through the proxy': () => load(`${node}/api/_cms/cached/lab${path}`, {}, seconds, true),
      'node: Nitro route, the same bytes from memory': () => load(`${node}/memory/lab${path}`),
      'bun: nuxt-cms-auth proxy': () => load(`${bun}/api/_cms/cms${path}`, client),
      'bun: h3 proxyRequest': () => load(`${bun}/bare${path}`),
    }
    console.log(`warming up (${connections} connections)…`)
    for (const run of Object.values(targets))
      await run()
    const results: Record<string, Figures[]> = Object.fromEntries(Object.keys(targets).map(name => [name, []]))
    for (let round = 1; round <= rounds; round++) {
      for (const [name, run] of Object.entries(targets)) {
        const figures = await run()
        results[name]!.push(figures)
        console.log(`round ${round} ${name.padEnd(28)} ${figures.rps.toFixed(0).padStart(7)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms`)
      }
    }
    const medians = Object.fromEntries(Object.entries(results).map(([name, runs]) => [name, medianOf(runs)])) as Record<keyof typeof targets, Figures>
    console.log(`\nmedians of ${rounds} rounds × ${seconds} s, ${connections} connections, GET ${path}`)
    console.log('| target | req/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |')
    for (const [name, figures] of Object.entries(medians))
      console.log(`| ${name} | ${figures.rps.toFixed(0)} | ${figures.p50} | ${figures.p99} |`)
    const ratios = {
      nodeVsBareNode: versus(results['node: nuxt-cms-auth proxy']!, results['node: bare node:http proxy']!),
      nodeVsProxyRequest: versus(results['node: nuxt-cms-auth proxy']!, results['node: h3 proxyRequest']!),
      nitroBareVsBareNode: versus(results['node: bare node:http forward in a Nitro route']!, results['node: bare node:http proxy']!),
      bunVsProxyRequest: versus(results['bun: nuxt-cms-auth proxy']!, results['bun: h3 proxyRequest']!),
      cachedVsMemory: versus(results['node: cached GET through the proxy']!, results['node: Nitro route, the same bytes from memory']!),
    }
    for (const [name, value] of Object.entries(ratios))
      console.log(`${name.padEnd(20)} ${value.rps.toFixed(2)}x req/s, p99 ${value.p99.toFixed(2)}x`)

    const cold = []
    for (let round = 0; round < rounds; round++)
      cold.push(await coldSingleFlight(node, cmsPort, 1000))
    console.log(`\n${cold[0]!.n} concurrent GETs of one cold URL through the cached proxy (the CMS answers in 50 ms), ${rounds} rounds:`)
    for (const run of cold)
      console.log(`  CMS calls ${run.cmsCalls}, all answered in ${run.ms.toFixed(0)} ms, statuses ${JSON.stringify(run.statuses)}`)

    // A fresh process grows its heap and allocator pools once, whatever the route; a 64 MiB stream
    // through each route first makes the figure the cost of streaming itself. GC timing moves single
    // figures, so the routes alternate and medians are printed.
    const streams = {
      'node: nuxt-cms-auth proxy': [`${node}/api/_cms/cms`, nodeServer.pid!],
      'node: h3 proxyRequest': [`${node}/bare`, nodeServer.pid!],
      'bun: nuxt-cms-auth proxy': [`${bun}/api/_cms/cms`, bunServer.pid!],
    } as const
    for (const [routeUrl, pid] of Object.values(streams))
      await streamThrough(routeUrl, pid, 64)
    const growth: Record<string, number[]> = Object.fromEntries(Object.keys(streams).map(name => [name, []]))
    for (let round = 0; round < rounds; round++) {
      for (const [name, [routeUrl, pid]] of Object.entries(streams))
        growth[name]!.push(await streamThrough(routeUrl, pid, streamMiB))
    }
    console.log(`\nserver RSS growth while streaming ${streamMiB} MiB (after a 64 MiB warm-up stream), ${rounds} alternated rounds:`)
    for (const [name, values] of Object.entries(growth))
      console.log(`  ${name.padEnd(28)} median ${median(values).toFixed(1)} MB, max ${Math.max(...values).toFixed(1)} MB (${values.map(value => value.toFixed(1)).join(', ')})`)

    writeJsonFigures({
      settings: { rounds, seconds, connections, path, streamMiB },
      medians,
      ratios,
      coldSingleFlight: { n: cold[0]!.n, cmsCalls: Math.max(...cold.map(run => run.cmsCalls)), medianMs: median(cold.map(run => run.ms)) },
      streamRssGrowthMiB: Object.fromEntries(Object.entries(growth).map(([name, values]) => [name, { median: median(values), max: Math.max(...values), runs: values }])),
    })
  }
  finally {
    for (const child of children.reverse())
      await stopProcess(child)
  }
}

await main()
