import http from 'node:http'
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import https from 'node:https'
import type { H3Event } from 'h3'
import { readRawBody } from 'h3'
import { useNitroApp } from '#imports'
import { forwardedResponseHeaders, pickHeaders } from '../core/proxy-headers'
import type { ProxyApi } from './proxy-config'
import { sendProxyError } from './proxy-error'

export interface UpstreamRequest {
  method: string
  /** Path and query under the API's base path, already checked, as received. */
  pathAndQuery: string
  headers: Record<string, string>
  /** Where the body comes from: the client's stream (length known and allowed), a buffer, or none. */
  body: IncomingMessage | Buffer | undefined
  /** Headers this proxy adds to the response (rate limit). */
  responseHeaders: Record<string, string>
}

const responseAllowList: ReadonlySet<string> = new Set(forwardedResponseHeaders)
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
 * destroys the upstream request, and no response headers within `timeout` ms is a 504.
 */
export function forwardToUpstream(event: H3Event, api: ProxyApi, request: UpstreamRequest): Promise<void> {
  const upstream = openUpstream(api, request)
  if (!upstream)
    return Promise.resolve(sendProxyError(event, 400, 'This request cannot be proxied.'))
  const res = event.node.res
  return new Promise<void>((resolve) => {
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      upstream.destroy()
    }, api.timeout)
    const finish = () => {
      clearTimeout(timer)
      resolve()
    }
    res.once('close', () => {
      // The client went away before the response was complete: stop the CMS work too.
      if (!res.writableFinished)
        upstream.destroy()
      finish()
    })
    res.once('finish', finish)

    upstream.once('response', (incoming) => {
      clearTimeout(timer)
      const headers: OutgoingHttpHeaders = { ...pickHeaders(incoming.headers, responseAllowList), ...request.responseHeaders }
      res.writeHead(incoming.statusCode ?? 502, headers)
      incoming.on('error', () => res.destroy())
      incoming.once('aborted', () => res.destroy())
      incoming.pipe(res)
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
    else if (Buffer.isBuffer(request.body))
      upstream.end(request.body)
    else
      request.body.pipe(upstream)
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

/**
 * For a base URL served by this app (`/mock-cms/…`): Nitro's in-process fetch, so the secret
 * never leaves the process and no host is ever derived from the incoming request. In-process
 * responses are buffered by Nitro, so this path does not stream.
 */
export async function forwardInProcess(event: H3Event, api: ProxyApi, request: UpstreamRequest): Promise<void> {
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : await readRawBody(event, false)
  const response = await useNitroApp().localFetch(api.baseURL + request.pathAndQuery, {
    method: request.method,
    headers: request.headers,
    body: body as BodyInit | undefined,
    signal: AbortSignal.timeout(api.timeout),
  }).catch(() => undefined)
  if (!response)
    return sendProxyError(event, 504, `The CMS did not answer within ${api.timeout} ms.`)
  const payload = Buffer.from(await response.arrayBuffer())
  const headers: OutgoingHttpHeaders = { ...pickHeaders(Object.fromEntries(response.headers), responseAllowList), ...request.responseHeaders }
  event.node.res.writeHead(response.status, headers)
  event.node.res.end(payload)
}
