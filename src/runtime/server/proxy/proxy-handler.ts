import type { H3Event } from 'h3'
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
import { MEMBER_CACHE_CONTROL } from '../../core/cache/cache-policy'
import { serverHeldModes } from '../../core/config-types'
import { answerFromCache, forwardCacheMiss } from '../cache/proxy-cache'
import { withPreviewQuery } from '../../core/preview/preview-protocol'
import type { PreviewTarget } from '../../core/preview/preview-protocol'
import { PREVIEW_CACHE_CONTROL, previewEntryFor } from '../preview/preview-state'

/**
 * `<proxyPrefix>/<name>/**`, step by step as docs/modes/proxy.md lists them: every check runs
 * before anything is sent to the CMS, cheapest first, and each refusal is a JSON error from this
 * module. Only then is the request forwarded with the server-held credential.
 */
export async function handleProxyRequest(event: H3Event): Promise<void> {
  const api = proxyApiOf(event)
  if (typeof api === 'string')
    return sendProxyError(event, api === 'unknown' ? 404 : 500, api === 'unknown' ? 'No such CMS API.' : api)

  // 1. The path, judged and forwarded as the client wrote it (h3 has decoded `event.path` once).
  const rest = rawPathBelow(rawRequestTarget(event), api.route)
  if (rest === undefined)
    return sendProxyError(event, 400, 'This path cannot be proxied: the API\'s route is %-encoded in it.')
  const target = resolveProxyPath(rest)
  if (!target.ok)
    return sendProxyError(event, 400, `This path cannot be proxied: ${target.reason}.`)

  // 2–4. Who is calling: allow-list, same origin, rate limit. The module's own SSR calls carry a
  // mark no client can send; everything else is a visitor.
  const responseHeaders: Record<string, string> = {}
  if (!isInProcessCall(fetchContextOf(event)) && !await checkClient(event, api, responseHeaders, await rateLimitSessionKey(event, api)))
    return

  // Preview: this browser's preview of this API (its sealed cookie). A direct API's route serves
  // nothing else, so it never becomes a second, open way to the CMS.
  const preview = api.preview && await previewEntryFor(event, api.name)
  if (api.preview?.only && !preview)
    return sendProxyError(event, 403, 'This route serves previews only: enter preview through a preview link first.', responseHeaders)
  if (preview && api.preview!.problem)
    return sendProxyError(event, 500, api.preview!.problem, responseHeaders)
  const previewTarget = preview ? api.preview!.target : undefined
  if (previewTarget)
    responseHeaders['cache-control'] = PREVIEW_CACHE_CONTROL

  // 5. Permissions.
  const method = event.method.toUpperCase()
  const permission = matchPermission(api.permissions, method, target.decoded)
  if (!permission.allowed) {
    return permission.status === 405
      ? sendProxyError(event, 405, `${method} is not allowed on this path.`, { ...responseHeaders, allow: permission.allow.join(', ') })
      : sendProxyError(event, 403, 'This path is not allowed.', responseHeaders)
  }

  // 6. The body, within the limit (read in full for a server-held session, which may replay it).
  const body = api.mode === 'proxy-session' ? await readWholeBody(event, api.maxBodySize) : await readBoundedBody(event, api.maxBodySize)
  if (body === 'too-large')
    return sendProxyError(event, 413, `The request body is larger than ${api.maxBodySize} bytes.`, { ...responseHeaders, connection: 'close' })

  // A member's data (a server-held session): no shared cache, CDN or Nitro route cache, may keep it.
  if (serverHeldModes.includes(api.mode))
    responseHeaders['cache-control'] = MEMBER_CACHE_CONTROL

  // 7. The response cache (`proxy.cache`, only on APIs whose credential is not per-user): a hit is
  // the answer, and nothing for the CMS is prepared.
  const cached = api.cache || api.cacheRules.length
    ? await answerFromCache(event, api, { method, received: target.path + target.search, decoded: target.decoded }, responseHeaders)
    : undefined
  if (cached === 'served')
    return

  // 8. Forwarding, with the credential placed here on the server (in preview: the preview token,
  // host and query instead of the API's own).
  const headers = await upstreamHeaders(event, api, body, previewTarget).catch((error: Error) => error)
  if (headers instanceof Error)
    return sendProxyError(event, 500, headers.message, responseHeaders)
  // Reads only: Strapi's `status=draft` on a write is the visitor's own draft (a form awaiting moderation).
  const published = method === 'GET' || method === 'HEAD' ? api.publishedQuery : undefined
  const search = previewTarget
    ? withPreviewQuery(target.search, previewTarget, preview!.carried)
    : withCredentialQuery(published ? withPreviewQuery(target.search, { query: published }) : target.search, api.query)
  const request: UpstreamRequest = { method, pathAndQuery: target.path + search, headers, body, responseHeaders }
  if (previewTarget) {
    // A wrong preview token is this deployment's mistake: the editor is told which variable, not
    // shown the CMS's bare 401 as if the content were missing.
    const refused = await forward(event, { ...api, baseURL: previewTarget.baseURL, upstream: previewTarget.upstream, secretSpellings: previewTarget.secretSpellings }, request, status => status === 401)
    return refused ? sendProxyError(event, 502, previewTarget.refused, responseHeaders) : undefined
  }
  if (api.mode === 'proxy-cookie')
    return forwardWithCmsCookies(event, api, request)
  if (api.mode === 'proxy-session')
    return forwardWithSession(event, api, request, target)
  if (cached)
    return forwardCacheMiss(event, api, request, cached)
  await forward(event, api, request)
}

export default defineEventHandler(handleProxyRequest)

/** The proxy API this route serves, `'unknown'`, or the message of a misconfiguration (never an open proxy). */
function proxyApiOf(event: H3Event): ProxyApi | 'unknown' | string {
  const route: string = event.context.matchedRoute?.path ?? ''
  const base = route.endsWith('/**') ? route.slice(0, -3) : route
  try {
    const api = useProxyApi(base.slice(base.lastIndexOf('/') + 1))
    return !api ? 'unknown' : api.missingToken ?? api
  }
  catch (error) {
    // A bad env override (the startup plugin normally stops the server first).
    return (error as Error).message
  }
}

/**
 * The headers the CMS gets: the client's allow-listed ones, the API's own, and the credential
 * (computed from the secret where the preset signs it: Ghost Admin, WordPress's Basic).
 */
async function upstreamHeaders(event: H3Event, api: ProxyApi, body: Uint8Array | 'stream' | undefined, preview?: PreviewTarget): Promise<Record<string, string>> {
  const incoming = incomingHeaders(event)
  const own = preview ? preview.headers : { ...api.headers, ...await api.credentialHeaders?.() }
  const headers = { ...pickHeaders(incoming, api.requestHeaders), ...own }
  // A stand-in request's answer goes back through Nitro's local fetch, which hands the body on as
  // is: a server-side caller could not parse a compressed one.
  if (isStandInRequest(event))
    delete headers['accept-encoding']
  if (body !== undefined)
    headers['content-length'] = String(body === 'stream' ? incoming['content-length'] : body.length)
  return headers
}

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
