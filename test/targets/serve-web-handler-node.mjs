// Serves a web handler `(request, context) => Response` (a Netlify Functions v2 module's default
// export) on HOST:PORT from Node, streaming both ways. Usage: node serve-web-handler-node.mjs <entry.mjs>
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'

const { default: handler } = await import(pathToFileURL(process.argv[2]).href)
createServer(async (req, res) => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers))
    [value].flat().forEach(item => item !== undefined && headers.append(name, item))
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: hasBody ? Readable.toWeb(req) : undefined, duplex: 'half' })
  try {
    const response = await handler(request, { ip: req.socket.remoteAddress, waitUntil: () => {} })
    const outgoing = [...response.headers].filter(([name]) => name !== 'set-cookie')
    for (const cookie of response.headers.getSetCookie())
      outgoing.push(['set-cookie', cookie])
    res.writeHead(response.status, outgoing.flat())
    if (response.body)
      Readable.fromWeb(response.body).pipe(res)
    else
      res.end()
  }
  catch (error) {
    console.error(error)
    res.writeHead(599).end()
  }
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
