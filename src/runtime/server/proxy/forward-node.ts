import http from 'node:http'
import https from 'node:https'
import type { H3Event } from 'h3'
import { pickHeaders } from '../../core/proxy/proxy-headers'
import type { ProxyApi } from './proxy-config'
import { sendProxyError } from './proxy-error'
import type { HeldResponse, HoldResponse, UpstreamRequest } from './upstream'
import { firstPartyCookies, holdLimit } from './upstream'

/**
 * The Node fast path of the transport seam (transport.ts): for requests that arrived on a real
 * Node socket, so `event.node` is the real request and response. Loaded only then, so no other
 * runtime ever imports `node:http`.
 */

const connections = new Map<string, { agent: http.Agent, send: typeof http.request }>()

// Keep-alive, one pool per API: a proxied request should not pay a TCP (and TLS) handshake each time.
function connectionTo(api: ProxyApi) {
  let connection = connections.get(api.name)
  if (!connection) {
    const secure = api.upstream!.protocol === 'https:'
    connection = secure
      ? { agent: new https.Agent({ keepAlive: true }), send: https.request }
      : { agent: new http.Agent({ keepAlive: true }), send: http.request }
    connections.set(api.name, connection)
  }
  return connection
}

/**
 * Sends the request to the CMS with `node:http` and a keep-alive agent, and pipes the response
 * back as it arrives: neither side is buffered, backpressure holds, a client that goes away
 * destroys the upstream request, and no response headers within `timeout` ms is a 504. One timer
 * serves both deadlines: re-armed when the headers arrive and on every chunk after, a body that
 * stops arriving for `timeout` ms is cut (the client sees the connection close; its status is
 * long sent). A client too slow to take the data (backpressure) is not the CMS stalling, so
 * waiting for it re-arms the timer.
 */
export function forwardWithNode(event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse): Promise<HeldResponse | undefined> {
  const upstream = openUpstream(api, request)
  if (!upstream) {
    sendProxyError(event, 400, 'This request cannot be proxied.')
    return Promise.resolve(undefined)
  }
  const res = event.node.res
  return new Promise<HeldResponse | undefined>((resolve) => {
    let timedOut = false
    let streaming = false
    let holding = false
    const timer = setTimeout(() => {
      // A held body that stops arriving: the hold's error handler answers 502.
      if (holding)
        return void upstream.destroy()
      if (!streaming) {
        timedOut = true
        return void upstream.destroy()
      }
      if (res.writableNeedDrain)
        return void timer.refresh()
      upstream.destroy()
      res.destroy()
    }, api.timeout)
    const finish = () => {
      clearTimeout(timer)
      resolve(undefined)
    }
    res.once('close', () => {
      // The client went away before the response was complete: stop the CMS work too.
      if (!res.writableFinished)
        upstream.destroy()
      finish()
    })
    res.once('finish', finish)

    upstream.once('response', (incoming) => {
      // The headers are here: from now on the timer is the stall guard.
      streaming = true
      timer.refresh()
      const wanted = hold?.(incoming.statusCode ?? 502, name => [incoming.headers[name]].flat()[0])
      const chunks: Buffer[] = []
      if (wanted) {
        holding = true
        const limit = holdLimit(wanted)
        let size = 0
        const keep = (chunk: Buffer) => {
          timer.refresh()
          chunks.push(chunk)
          size += chunk.length
          if (size <= limit)
            return
          // Longer than the caller holds: it goes on as any answer, the bytes read first included.
          holding = false
          incoming.pause().off('data', keep).off('end', done).off('error', failed).off('aborted', failed)
          pass()
        }
        const done = () => {
          clearTimeout(timer)
          resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks), allowed: api.responseHeaders })
        }
        const failed = () => {
          clearTimeout(timer)
          incoming.off('error', failed).off('aborted', failed).on('error', () => {})
          sendProxyError(event, 502, 'The CMS connection failed mid-response.')
          resolve(undefined)
        }
        incoming.on('data', keep).once('end', done).once('error', failed).once('aborted', failed)
        return
      }
      pass()

      function pass() {
        incoming.on('error', () => res.destroy())
        incoming.once('aborted', () => res.destroy())
        const setCookies = incoming.headers['set-cookie'] ?? []
        // Cookie mode seals the SSR copy of the cookies first (the body waits, unread, meanwhile).
        if (setCookies.length && request.rewriteSetCookie)
          void firstPartyCookies(request, setCookies).then(respond, () => {
            incoming.destroy()
            sendProxyError(event, 502, 'The CMS set a cookie this proxy could not keep.')
          })
        else
          respond({})
      }
      function respond(cookies: Record<string, string[]>) {
        if (res.destroyed)
          return incoming.destroy()
        res.writeHead(incoming.statusCode ?? 502, { ...pickHeaders(incoming.headers, api.responseHeaders), ...request.responseHeaders, ...cookies })
        for (const chunk of chunks.splice(0))
          res.write(chunk)
        incoming.on('data', () => timer.refresh())
        incoming.once('end', () => clearTimeout(timer))
        incoming.pipe(res)
      }
    })
    upstream.on('error', () => {
      clearTimeout(timer)
      if (res.headersSent || res.destroyed || res.writableEnded)
        res.destroy()
      else if (timedOut)
        sendProxyError(event, 504, `The CMS did not answer within ${api.timeout} ms.`)
      else
        sendProxyError(event, 502, 'The CMS could not be reached.')
      finish()
    })

    if (request.body === undefined)
      upstream.end()
    else if (request.body === 'stream')
      event.node.req.pipe(upstream)
    else
      upstream.end(request.body)
  })
}

/**
 * The event-less form (transport.ts `fetchHeld`): the same keep-alive pool and deadlines, nothing
 * sent to any client. Resolves to the answer `hold` kept, or `undefined` (not wanted, longer than
 * held, failed, no headers or a stalled body within `timeout` ms).
 */
export function holdWithNode(api: ProxyApi, request: UpstreamRequest & { body: Uint8Array | undefined }, hold: HoldResponse): Promise<HeldResponse | undefined> {
  const upstream = openUpstream(api, request)
  if (!upstream)
    return Promise.resolve(undefined)
  return new Promise<HeldResponse | undefined>((resolve) => {
    const timer = setTimeout(() => upstream.destroy(), api.timeout)
    const give = (held?: HeldResponse) => {
      clearTimeout(timer)
      resolve(held)
    }
    upstream.once('error', () => give())
    upstream.once('response', (incoming) => {
      const wanted = hold(incoming.statusCode ?? 502, name => [incoming.headers[name]].flat()[0])
      if (!wanted) {
        upstream.destroy()
        return give()
      }
      timer.refresh()
      const limit = holdLimit(wanted)
      const chunks: Buffer[] = []
      let size = 0
      incoming.on('data', (chunk: Buffer) => {
        timer.refresh()
        chunks.push(chunk)
        size += chunk.length
        if (size > limit) {
          upstream.destroy()
          give()
        }
      })
      incoming.once('end', () => give({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks), allowed: api.responseHeaders }))
      incoming.once('aborted', () => give())
      incoming.once('error', () => give())
    })
    upstream.end(request.body)
  })
}

function openUpstream(api: ProxyApi, request: UpstreamRequest): http.ClientRequest | undefined {
  const url = api.upstream!
  const { agent, send } = connectionTo(api)
  try {
    return send({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      auth: url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined,
      path: url.pathname.replace(/\/+$/, '') + request.pathAndQuery,
      method: request.method,
      headers: request.headers,
      agent,
    })
  }
  catch {
    // Node refuses a path or header value it cannot put on the wire.
    return undefined
  }
}
