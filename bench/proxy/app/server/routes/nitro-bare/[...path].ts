import http from 'node:http'
import { defineEventHandler } from 'h3'

// The bare node:http forward of bare-node-proxy.ts, as a route of this Nitro server: what a proxy
// inside Nitro could reach with no checks at all.
const agent = new http.Agent({ keepAlive: true })
export default defineEventHandler((event) => {
  const upstream = new URL(process.env.BENCH_CMS_URL!)
  const { req, res } = event.node
  return new Promise<void>((resolve) => {
    const outgoing = http.request({
      hostname: upstream.hostname,
      port: upstream.port,
      path: `${upstream.pathname}/${event.context.params!.path}`,
      method: req.method,
      headers: { 'accept': req.headers.accept ?? '*/*', 'x-microcms-api-key': process.env.BENCH_CMS_KEY! },
      agent,
    }, (incoming) => {
      res.writeHead(incoming.statusCode ?? 502, { 'content-type': incoming.headers['content-type'] ?? 'application/octet-stream', ...(incoming.headers['content-length'] ? { 'content-length': incoming.headers['content-length'] } : {}) })
      incoming.pipe(res)
      res.once('finish', resolve)
    })
    outgoing.on('error', () => res.destroy())
    req.pipe(outgoing)
  })
})
