import type { IncomingMessage } from 'node:http'
import type { H3Event } from 'h3'
import { defineEventHandler, readRawBody } from 'h3'
import { isInProcessCall } from '../core/in-process'
import { pickHeaders } from '../core/proxy-headers'
import { resolveProxyPath, withCredentialQuery } from '../core/proxy-path'
import { matchPermission } from '../core/proxy-permissions'
import { checkClient, isStandInRequest } from './client-checks'
import { forwardInProcess, forwardToUpstream } from './forward-upstream'
import { forwardWithCmsCookies } from './session/cookie-session'
import { rateLimitSessionKey } from './session/session-key'
import { forwardWithSession } from './session/session-proxy'
import type { UpstreamRequest } from './forward-upstream'
import type { ProxyApi } from './proxy-config'
import { useProxyApi } from './proxy-config'
import { sendProxyError } from './proxy-error'

/**
 * `<proxyPrefix>/<name>/**`: every check runs before anything is sent to the CMS, cheapest
 * first, and each refusal is a JSON error from this module. Only then is the request forwarded
 * with the server-held credential.
 */
export default defineEventHandler(async (event) => {
  const route: string = event.context.matchedRoute?.path ?? ''
  const base = route.endsWith('/**') ? route.slice(0, -3) : route
  let api: ProxyApi | undefined
  try {
    api = useProxyApi(base.slice(base.lastIndexOf('/') + 1))
  }
  catch (error) {
    // A bad env override (the startup plugin normally stops the server first): refuse, never open.
    return sendProxyError(event, 500, (error as Error).message)
  }
  if (!api)
    return sendProxyError(event, 404, 'No such CMS API.')
  if (api.missingToken)
    return sendProxyError(event, 500, api.missingToken)

  const req = event.node.req
  // Judged and forwarded as the client wrote it: h3 has already decoded `event.path` once.
  const rest = rawPathBelow(req.originalUrl ?? req.url ?? '', api.route)
  if (rest === undefined)
    return sendProxyError(event, 400, 'This path cannot be proxied: the API\'s route is %-encoded in it.')
  const target = resolveProxyPath(rest)
  if (!target.ok)
    return sendProxyError(event, 400, `This path cannot be proxied: ${target.reason}.`)

  const method = (req.method ?? 'GET').toUpperCase()
  // This module's own SSR calls carry a mark no client can send; everything else is a visitor.
  const inProcess = isInProcessCall((req as { __unenv__?: unknown }).__unenv__)
  const standIn = isStandInRequest(req)
  const responseHeaders: Record<string, string> = {}
  if (!inProcess && !await checkClient(event, api, responseHeaders, await rateLimitSessionKey(event, api)))
    return

  const permission = matchPermission(api.permissions, method, target.decoded)
  if (!permission.allowed) {
    return permission.status === 405
      ? sendProxyError(event, 405, `${method} is not allowed on this path.`, { ...responseHeaders, allow: permission.allow.join(', ') })
      : sendProxyError(event, 403, 'This path is not allowed.', responseHeaders)
  }

  // A server-held session may replay the request after a refresh: its body is read in full.
  const body = api.session && !standIn ? await readWholeBody(event, api) : await readBoundedBody(event, api, standIn)
  if (body === 'too-large')
    return sendProxyError(event, 413, `The request body is larger than ${api.maxBodySize} bytes.`, { ...responseHeaders, connection: 'close' })

  const headers = { ...pickHeaders(req.headers, api.requestHeaders), ...api.headers }
  // A stand-in request's answer goes back through Nitro's local fetch, which hands the body on as
  // is: a server-side caller could not parse a compressed one.
  if (standIn)
    delete headers['accept-encoding']
  if (body !== undefined)
    headers['content-length'] = String(Buffer.isBuffer(body) ? body.length : req.headers['content-length'])
  const request: UpstreamRequest = { method, pathAndQuery: target.path + withCredentialQuery(target.search, api.query), headers, body, responseHeaders }
  if (api.cookieScope)
    return forwardWithCmsCookies(event, api, request)
  if (api.session)
    return forwardWithSession(event, api, request, target)
  await (api.upstream ? forwardToUpstream(event, api, request) : forwardInProcess(event, api, request))
})

/**
 * The raw request target below `route`, or `undefined` when the client spelled the route itself
 * differently (`/api/_cms/l%61b/…` reaches this handler after h3 decoded it, but is no path a
 * browser would send: refuse rather than guess where the rest starts).
 */
export function rawPathBelow(target: string, route: string): string | undefined {
  if (!target.startsWith(route))
    return undefined
  const rest = target.slice(route.length)
  return rest === '' || rest[0] === '/' || rest[0] === '?' ? rest : undefined
}

/** The whole body (its size already checked against Content-Length, or counted while reading). */
async function readWholeBody(event: H3Event, api: ProxyApi): Promise<Buffer | undefined | 'too-large'> {
  const body = await readBoundedBody(event, api, false)
  if (body === undefined || body === 'too-large' || Buffer.isBuffer(body))
    return body
  return (await readRawBody(event, false)) ?? undefined
}

/**
 * The request body, never more than `maxBodySize` bytes. A declared Content-Length is checked up
 * front and the stream is passed on (Node's parser delivers no more than it declares). A chunked
 * body has no declared size, so it is read up to the limit before the CMS is contacted: an
 * oversize upload never reaches it.
 */
async function readBoundedBody(event: H3Event, api: ProxyApi, standIn: boolean): Promise<IncomingMessage | Buffer | undefined | 'too-large'> {
  const req = event.node.req
  if (standIn) {
    // A stand-in request (Nitro's local fetch) carries its body as a value, not a stream.
    if ((req as { body?: unknown }).body == null || !PAYLOAD_METHODS.has(req.method ?? ''))
      return undefined
    const buffer = await readRawBody(event, false)
    return buffer && buffer.length > api.maxBodySize ? 'too-large' : buffer
  }
  const declared = req.headers['content-length']
  if (declared !== undefined) {
    const length = Number(declared)
    if (length > api.maxBodySize)
      return 'too-large'
    return length > 0 ? req : undefined
  }
  if (req.headers['transfer-encoding'] === undefined)
    return undefined
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= api.maxBodySize)
        return void chunks.push(chunk)
      // Keep reading (and dropping) so the 413 can be delivered; the connection closes after it.
      req.off('data', onData)
      req.off('end', onEnd)
      req.resume()
      resolve('too-large')
    }
    const onEnd = () => resolve(Buffer.concat(chunks))
    req.on('data', onData)
    req.on('end', onEnd)
    req.once('error', reject)
  })
}

const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
