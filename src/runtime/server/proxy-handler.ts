import type { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import type { H3Event } from 'h3'
import { defineEventHandler, readRawBody } from 'h3'
import { resolveClientAddress } from '../core/client-address'
import { isAddressAllowed } from '../core/ip-match'
import { pickHeaders } from '../core/proxy-headers'
import { resolveProxyPath, withCredentialQuery } from '../core/proxy-path'
import { matchPermission } from '../core/proxy-permissions'
import { currentWindow, rateLimitClient, rateLimitVerdict } from '../core/rate-limit'
import { isCrossOriginRequest } from '../core/request-origin'
import { forwardInProcess, forwardToUpstream } from './forward-upstream'
import { withCmsCookies } from './session/cookie-session'
import { forwardWithSession } from './session/session-proxy'
import type { UpstreamRequest } from './forward-upstream'
import type { ProxyApi } from './proxy-config'
import { proxyStorageBase, useProxyApi } from './proxy-config'
import { sendProxyError } from './proxy-error'
import { incrementCounter } from './rate-limit-store'

/**
 * `<proxyPrefix>/<name>/**`: every check runs before anything is sent to the CMS, cheapest
 * first, and each refusal is a JSON error from this module. Only then is the request forwarded
 * with the server-held credential.
 */
export default defineEventHandler(async (event) => {
  const route: string = event.context.matchedRoute?.path ?? ''
  const base = route.endsWith('/**') ? route.slice(0, -3) : route
  const api = useProxyApi(base.slice(base.lastIndexOf('/') + 1))
  if (!api)
    return sendProxyError(event, 404, 'No such CMS API.')
  if (api.missingToken)
    return sendProxyError(event, 500, api.missingToken)

  const target = resolveProxyPath(event.path.slice(base.length))
  if (!target.ok)
    return sendProxyError(event, 400, `This path cannot be proxied: ${target.reason}.`)

  const req = event.node.req
  const method = (req.method ?? 'GET').toUpperCase()
  // Nitro's in-process fetch (SSR calling its own proxy route) uses a mock socket. That request
  // was made by this server's code, not by a client on the network: there is no address to
  // check or count, and no browser to have sent it from another site.
  const inProcess = !(req.socket instanceof Socket)
  const responseHeaders: Record<string, string> = {}
  if (!inProcess && !await checkClient(event, api, responseHeaders))
    return

  const permission = matchPermission(api.permissions, method, target.decoded)
  if (!permission.allowed) {
    return permission.status === 405
      ? sendProxyError(event, 405, `${method} is not allowed on this path.`, { ...responseHeaders, allow: permission.allow.join(', ') })
      : sendProxyError(event, 403, 'This path is not allowed.', responseHeaders)
  }

  // A server-held session may replay the request after a refresh: its body is read in full.
  const body = api.session && !inProcess ? await readWholeBody(event, api) : await readBoundedBody(event, api, inProcess)
  if (body === 'too-large')
    return sendProxyError(event, 413, `The request body is larger than ${api.maxBodySize} bytes.`, { ...responseHeaders, connection: 'close' })

  const headers = { ...pickHeaders(req.headers, api.requestHeaders), ...api.headers }
  // Nitro's local fetch hands the body to the caller as is, without decompressing it.
  if (inProcess)
    delete headers['accept-encoding']
  if (body !== undefined)
    headers['content-length'] = String(Buffer.isBuffer(body) ? body.length : req.headers['content-length'])
  const request: UpstreamRequest = { method, pathAndQuery: target.path + withCredentialQuery(target.search, api.query), headers, body, responseHeaders }
  if (api.cookieScope)
    withCmsCookies(event, api, request)
  if (api.session)
    return forwardWithSession(event, api, request, target)
  await (api.upstream ? forwardToUpstream(event, api, request) : forwardInProcess(event, api, request))
})

/**
 * The checks about who is calling: IP allow-list, same origin, rate limit. False when the
 * request was refused (the answer is sent); rate-limit headers go into `responseHeaders`.
 */
export async function checkClient(event: H3Event, api: ProxyApi, responseHeaders: Record<string, string>): Promise<boolean> {
  const req = event.node.req
  const client = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], api.trustedProxies)
  if (api.allowedIPs.length && !isAddressAllowed(client, api.allowedIPs))
    return refuse(() => sendProxyError(event, 403, 'Your address may not use this API.'))
  // A session API cannot turn this off (refused at build time): it is what stops CSRF.
  if ((api.sameOrigin || api.session || api.cookieScope) && isCrossOriginRequest(req.headers))
    return refuse(() => sendProxyError(event, 403, 'This API only answers requests from this site\'s own pages.'))
  if (api.rateLimit) {
    const window = currentWindow(api.rateLimit, `ratelimit:${api.name}:${rateLimitClient(client)}`, Date.now())
    const verdict = rateLimitVerdict(api.rateLimit, await incrementCounter(proxyStorageBase, window.key, window.resetIn), window.resetIn)
    Object.assign(responseHeaders, verdict.headers)
    if (!verdict.allowed)
      return refuse(() => sendProxyError(event, 429, 'Too many requests; try again later.', verdict.headers))
  }
  return true
}

const refuse = (send: () => void) => {
  send()
  return false
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
async function readBoundedBody(event: H3Event, api: ProxyApi, inProcess: boolean): Promise<IncomingMessage | Buffer | undefined | 'too-large'> {
  const req = event.node.req
  if (inProcess) {
    // Nitro's local fetch hands the body over as a value, not a stream.
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
