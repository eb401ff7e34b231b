import { defineEventHandler } from 'h3'
import { isInProcessCall } from '../../core/client/in-process'
import { pickHeaders } from '../../core/proxy/proxy-headers'
import { resolveProxyPath, withCredentialQuery } from '../../core/proxy/proxy-path'
import { matchPermission } from '../../core/proxy/proxy-permissions'
import { checkClient } from './client-checks'
import { fetchContextOf, incomingHeaders, isStandInRequest, rawRequestTarget, readBoundedBody, readWholeBody } from './h3-request'
import { forwardWithCmsCookies } from '../session/cookie-session'
import { rateLimitSessionKey } from '../session/session-key'
import { forwardWithSession } from '../session/session-proxy'
import { forward } from './transport'
import type { UpstreamRequest } from './upstream'
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

  // Judged and forwarded as the client wrote it: h3 has already decoded `event.path` once.
  const rest = rawPathBelow(rawRequestTarget(event), api.route)
  if (rest === undefined)
    return sendProxyError(event, 400, 'This path cannot be proxied: the API\'s route is %-encoded in it.')
  const target = resolveProxyPath(rest)
  if (!target.ok)
    return sendProxyError(event, 400, `This path cannot be proxied: ${target.reason}.`)

  const method = event.method.toUpperCase()
  // This module's own SSR calls carry a mark no client can send; everything else is a visitor.
  const inProcess = isInProcessCall(fetchContextOf(event))
  const standIn = isStandInRequest(event)
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
  const body = api.mode === 'proxy-session' ? await readWholeBody(event, api.maxBodySize) : await readBoundedBody(event, api.maxBodySize)
  if (body === 'too-large')
    return sendProxyError(event, 413, `The request body is larger than ${api.maxBodySize} bytes.`, { ...responseHeaders, connection: 'close' })

  const requestHeaders = incomingHeaders(event)
  const headers = { ...pickHeaders(requestHeaders, api.requestHeaders), ...api.headers }
  // Ghost Admin's signed token, WordPress's Basic: computed from the secret, here on the server.
  if (api.credentialHeaders) {
    try {
      Object.assign(headers, await api.credentialHeaders())
    }
    catch (error) {
      return sendProxyError(event, 500, (error as Error).message, responseHeaders)
    }
  }
  // A stand-in request's answer goes back through Nitro's local fetch, which hands the body on as
  // is: a server-side caller could not parse a compressed one.
  if (standIn)
    delete headers['accept-encoding']
  if (body !== undefined)
    headers['content-length'] = String(body === 'stream' ? requestHeaders['content-length'] : body.length)
  const request: UpstreamRequest = { method, pathAndQuery: target.path + withCredentialQuery(target.search, api.query), headers, body, responseHeaders }
  if (api.mode === 'proxy-cookie')
    return forwardWithCmsCookies(event, api, request)
  if (api.mode === 'proxy-session')
    return forwardWithSession(event, api, request, target)
  await forward(event, api, request)
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
