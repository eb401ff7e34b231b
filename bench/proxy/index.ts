import { execFileSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { mockTokens } from '../../test/mock-cms/tokens'
import { freePort } from '../../test/utils/raw-http'
import { writeJsonFigures } from '../json-output'
import { median } from '../median'
import { startListening, stopProcess } from '../../test/utils/processes'

/**
 * Proxy overhead, alternated in one run: (a) the mock CMS directly, (b) our proxy route with
 * every check on, (c) a bare h3 proxyRequest route in the same built server. Then the server's
 * peak RSS while a 200 MB response streams through the proxy.
 * `npm run bench:proxy [-- --rounds 3 --seconds 5 --connections 50 --build --json file]`
 */
const args = process.argv.slice(2)
const option = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] || fallback) || fallback
const rounds = args.includes('--rounds') ? option('rounds', 3) : 3
const seconds = args.includes('--seconds') ? option('seconds', 5) : 5
const connections = args.includes('--connections') ? option('connections', 50) : 50
const appDir = fileURLToPath(new URL('./app', import.meta.url))
const serverEntry = `${appDir}/.output/server/index.mjs`
const path = '/microcms/api/v1/blogs'
const streamBytes = 200 * 1024 * 1024

interface Figures { rps: number, p50: number, p99: number }

async function load(url: string, headers: Record<string, string> = {}, duration = seconds): Promise<Figures> {
  const result = await autocannon({ url, connections, duration, headers })
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`)
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 }
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(status.match(/VmRSS:\s+(\d+)/)![1])
}

async function streamThrough(routeUrl: string, pid: number, size = streamBytes): Promise<{ before: number, peak: number, bytes: number }> {
  const before = rssKiB(pid)
  let peak = before
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKiB(pid))
  }, 20)
  const response = await fetch(`${routeUrl}/bytes?size=${size}`)
  let bytes = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    bytes += chunk.length
  clearInterval(sampler)
  peak = Math.max(peak, rssKiB(pid))
  return { before, peak, bytes }
}

async function main() {
  if (args.includes('--build') || !existsSync(serverEntry))
    execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/@nuxt/cli/bin/nuxi.mjs', import.meta.url)), 'build', appDir], { stdio: 'inherit' })

  const children: ChildProcess[] = []
  try {
    const cmsPort = await freePort()
    const jiti = fileURLToPath(new URL('../../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url))
    children.push(await startListening(process.execPath, [jiti, fileURLToPath(new URL('./mock-server.ts', import.meta.url))], cmsPort, { env: { ...process.env, PORT: String(cmsPort) } }))
    const cmsUrl = `http://127.0.0.1:${cmsPort}/lab`
    const appPort = await freePort()
    const server = await startListening(process.execPath, [serverEntry], appPort, {
      env: { ...process.env, PORT: String(appPort), HOST: '127.0.0.1', NODE_ENV: 'production', NUXT_CMS_AUTH_APIS_CMS_BASE_URL: cmsUrl, BENCH_CMS_URL: cmsUrl, BENCH_CMS_KEY: mockTokens.microcmsWrite },
    })
    children.push(server)
    const appUrl = `http://127.0.0.1:${appPort}`

    const targets = {
      'a) mock CMS directly': () => load(`${cmsUrl}${path}`, { 'x-microcms-api-key': mockTokens.microcmsWrite }),
      'b) nuxt-cms-auth proxy': () => load(`${appUrl}/api/_cms/cms${path}`),
      'c) bare h3 proxyRequest': () => load(`${appUrl}/bare${path}`),
    }
    console.log(`warming up (${connections} connections)…`)
    for (const run of Object.values(targets))
      await run()
    const results: Record<string, Figures[]> = Object.fromEntries(Object.keys(targets).map(name => [name, []]))
    for (let round = 1; round <= rounds; round++) {
      for (const [name, run] of Object.entries(targets)) {
        const figures = await run()
        results[name]!.push(figures)
        console.log(`round ${round} ${name.padEnd(24)} ${figures.rps.toFixed(0).padStart(7)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms`)
      }
    }

    const medians = Object.fromEntries(Object.entries(results).map(([name, runs]) => [name, {
      rps: median(runs.map(run => run.rps)),
      p50: median(runs.map(run => run.p50)),
      p99: median(runs.map(run => run.p99)),
    }]))
    const proxy = medians['b) nuxt-cms-auth proxy']!
    const bare = medians['c) bare h3 proxyRequest']!
    console.log(`\nmedians of ${rounds} rounds × ${seconds} s, ${connections} connections, GET ${path}`)
    console.log('| target | req/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |')
    for (const [name, figures] of Object.entries(medians))
      console.log(`| ${name} | ${figures.rps.toFixed(0)} | ${figures.p50} | ${figures.p99} |`)
    console.log(`\nproxy / bare proxyRequest: ${(proxy.rps / bare.rps).toFixed(2)}x req/s, p99 ${(proxy.p99 / bare.p99).toFixed(2)}x`)
    console.log(`proxy / direct CMS:        ${(proxy.rps / medians['a) mock CMS directly']!.rps).toFixed(2)}x req/s`)

    // A fresh process grows its heap and allocator pools once, whatever the route (~45-55 MB
    // here for both); a 20 MB stream first makes the figure the cost of streaming itself.
    // GC timing moves single figures by ±15 MB, so the routes alternate and medians are printed.
    await streamThrough(`${appUrl}/api/_cms/cms`, server.pid!, 20 * 1024 * 1024)
    const growth: Record<string, number[]> = { 'proxy': [], 'bare proxyRequest': [] }
    for (let round = 0; round < rounds; round++) {
      for (const [name, route] of [['proxy', '/api/_cms/cms'], ['bare proxyRequest', '/bare']] as const) {
        const stream = await streamThrough(`${appUrl}${route}`, server.pid!)
        if (stream.bytes !== streamBytes)
          throw new Error(`streamed ${stream.bytes} bytes through ${route}, expected ${streamBytes}`)
        growth[name]!.push((stream.peak - stream.before) / 1024)
      }
    }
    console.log(`\nserver RSS growth while streaming ${streamBytes / 1024 / 1024} MB (after a 20 MB warm-up stream), ${rounds} alternated rounds:`)
    for (const [name, values] of Object.entries(growth))
      console.log(`  ${name.padEnd(18)} median ${median(values).toFixed(1)} MB, max ${Math.max(...values).toFixed(1)} MB (${values.map(value => value.toFixed(1)).join(', ')})`)
    console.log(`  server RSS at the end: ${(rssKiB(server.pid!) / 1024).toFixed(1)} MB`)

    writeJsonFigures({
      settings: { rounds, seconds, connections, path, streamMiB: streamBytes / 1024 / 1024 },
      medians: {
        direct: medians['a) mock CMS directly'],
        proxy,
        bareProxyRequest: bare,
      },
      ratios: {
        rpsVsBare: proxy.rps / bare.rps,
        p50VsBare: proxy.p50 / bare.p50,
        p99VsBare: proxy.p99 / bare.p99,
        rpsVsDirect: proxy.rps / medians['a) mock CMS directly']!.rps,
      },
      streamRssGrowthMiB: Object.fromEntries(Object.entries(growth).map(([name, values]) => [name === 'proxy' ? 'proxy' : 'bareProxyRequest', { median: median(values), max: Math.max(...values), runs: values }])),
    })
  }
  finally {
    for (const child of children.reverse())
      await stopProcess(child)
  }
}

await main()
