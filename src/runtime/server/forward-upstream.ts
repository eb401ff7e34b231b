import http from 'node:http'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import https from 'node:https'
import type { H3Event } from 'h3'
import { readRawBody } from 'h3'
import { useNitroApp } from 'nitropack/runtime'
import { pickHeaders } from '../core/proxy-headers'
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
  /** Cookie mode: the CMS's `Set-Cookie` headers as the app's own cookies (otherwise they are dropped). */
  rewriteSetCookie?: (setCookies: string[]) => Promise<string[]>
}

/** An upstream answer kept back instead of sent (a server-held session may refresh and replay). */
export interface HeldResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  /** The API's response-header allow-list, applied when the response is sent. */
  allowed: ReadonlySet<string>
}

/** Decides, from the status and headers, whether to keep the response back; it sees every response. */
export type HoldResponse = (status: number, header: (name: string) => string | undefined) => boolean

/** Sends a held response as the proxy would have: allowed headers only. */
export function sendHeldResponse(event: H3Event, held: HeldResponse, extraHeaders: Record<string, string>): void {
  event.node.res.writeHead(held.status, { ...pickHeaders(held.headers, held.allowed), ...extraHeaders })
  event.node.res.end(held.body)
}
async function firstPartyCookies(request: UpstreamRequest, setCookies: string[]): Promise<OutgoingHttpHeaders> {
  const rewritten = setCookies.length && request.rewriteSetCookie ? await request.rewriteSetCookie(setCookies) : []
  return rewritten.length ? { 'set-cookie': rewritten } : {}
}

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
export function forwardToUpstream(event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse): Promise<HeldResponse | undefined> {
  const upstream = openUpstream(api, request)
  if (!upstream) {
    sendProxyError(event, 400, 'This request cannot be proxied.')
    return Promise.resolve(undefined)
  }
  const res = event.node.res
  return new Promise<HeldResponse | undefined>((resolve) => {
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      upstream.destroy()
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
      clearTimeout(timer)
      if (hold?.(incoming.statusCode ?? 502, name => [incoming.headers[name]].flat()[0])) {
        const chunks: Buffer[] = []
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
        incoming.once('end', () => resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks), allowed: api.responseHeaders }))
        incoming.once('error', () => {
          sendProxyError(event, 502, 'The CMS connection failed mid-response.')
          resolve(undefined)
        })
        return
      }
      incoming.on('error', () => res.destroy())
      incoming.once('aborted', () => res.destroy())
      const setCookies = incoming.headers['set-cookie'] ?? []
      const respond = (cookies: OutgoingHttpHeaders) => {
        if (res.destroyed)
          return incoming.destroy()
        res.writeHead(incoming.statusCode ?? 502, { ...pickHeaders(incoming.headers, api.responseHeaders), ...request.responseHeaders, ...cookies })
        cutWhenStalled(incoming, res, upstream, api.timeout)
        incoming.pipe(res)
      }
      // Cookie mode seals the SSR copy of the cookies first (the body waits, unread, meanwhile).
      if (setCookies.length && request.rewriteSetCookie)
        void firstPartyCookies(request, setCookies).then(respond, () => {
          incoming.destroy()
          sendProxyError(event, 502, 'The CMS set a cookie this proxy could not keep.')
        })
      else
        respond({})
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

/**
 * A body that stops arriving for `timeout` ms is cut: the CMS request ends and the client sees the
 * connection close (its status is long sent). A client too slow to take the data (backpressure)
 * is not the CMS stalling, so waiting for it re-arms the timer.
 */
function cutWhenStalled(incoming: IncomingMessage, res: ServerResponse, upstream: http.ClientRequest, timeout: number): void {
  const idle = setTimeout(() => {
    if (res.writableNeedDrain)
      return void idle.refresh()
    upstream.destroy()
    res.destroy()
  }, timeout)
  incoming.on('data', () => idle.refresh())
  incoming.once('end', () => clearTimeout(idle))
  res.once('close', () => clearTimeout(idle))
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
export async function forwardInProcess(event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse): Promise<HeldResponse | undefined> {
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : await readRawBody(event, false)
  const response = await useNitroApp().localFetch(api.baseURL + request.pathAndQuery, {
    method: request.method,
    headers: request.headers,
    body: body as BodyInit | undefined,
    signal: AbortSignal.timeout(api.timeout),
  }).catch(() => undefined)
  if (!response) {
    sendProxyError(event, 504, `The CMS did not answer within ${api.timeout} ms.`)
    return undefined
  }
  const payload = Buffer.from(await response.arrayBuffer())
  if (hold?.(response.status, name => response.headers.get(name) ?? undefined))
    return { status: response.status, headers: Object.fromEntries(response.headers), body: payload, allowed: api.responseHeaders }
  const headers: OutgoingHttpHeaders = { ...pickHeaders(Object.fromEntries(response.headers), api.responseHeaders), ...request.responseHeaders, ...await firstPartyCookies(request, response.headers.getSetCookie()) }
  event.node.res.writeHead(response.status, headers)
  event.node.res.end(payload)
  return undefined
}
