import http from 'node:http'

/**
 * The ceiling for one hop on Node: a `node:http` keep-alive proxy with the key added and nothing
 * else (no framework, no checks), in its own process. `CMS_URL` is the upstream base, `CMS_KEY`
 * the key; it listens on `PORT` and forwards `/<path>` to `CMS_URL/<path>`.
 */
const upstream = new URL(process.env.CMS_URL!)
const agent = new http.Agent({ keepAlive: true })
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const outgoing = http.request({
    hostname: upstream.hostname,
    port: upstream.port,
    path: upstream.pathname + req.url,
    method: req.method,
    headers: { 'accept': req.headers.accept ?? '*/*', 'x-microcms-api-key': process.env.CMS_KEY! },
    agent,
  }, (incoming) => {
    res.writeHead(incoming.statusCode ?? 502, { 'content-type': incoming.headers['content-type'] ?? 'application/octet-stream', ...(incoming.headers['content-length'] ? { 'content-length': incoming.headers['content-length'] } : {}) })
    incoming.pipe(res)
  })
  outgoing.on('error', () => res.destroy())
  req.pipe(outgoing)
})
server.listen(Number(process.env.PORT), '127.0.0.1')
