import { defineEventHandler } from 'h3'

// The ceiling for a cached GET: the CMS's answer fetched once, then the same bytes and headers
// served from this process's memory by a plain Nitro route, no checks, no cache lookup. A catch-all
// route, as the proxy's is, so both pay the same router lookup.
let held: Promise<{ body: Uint8Array, type: string }> | undefined

export default defineEventHandler(async (event) => {
  held ||= fetch(`${process.env.BENCH_CMS_URL}/microcms/api/v1/blogs`, { headers: { 'x-microcms-api-key': process.env.BENCH_CMS_KEY! } })
    .then(async response => ({ body: new Uint8Array(await response.arrayBuffer()), type: response.headers.get('content-type') ?? 'application/json' }))
  const { body, type } = await held
  event.node.res.writeHead(200, { 'content-type': type, 'content-length': String(body.length) })
  event.node.res.end(body)
})
