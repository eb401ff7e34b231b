import type { H3Event } from 'h3'
import { serverHeldModes } from '../../core/config-types'
import { resolveClientAddress } from '../../core/proxy/client-address'
import { isAddressAllowed } from '../../core/proxy/ip-match'
import { currentWindow, rateLimitClient, rateLimitVerdict } from '../../core/proxy/rate-limit'
import { isCrossOriginRequest } from '../../core/proxy/request-origin'
import { requestHeader, socketAddress } from './h3-request'
import type { ProxyApi } from './proxy-config'
import { proxyStorageBase } from './proxy-config'
import { sendProxyError } from './proxy-error'
import { incrementCounter } from '../storage/rate-limit-store'

/**
 * The checks about who is calling: IP allow-list, same origin, rate limit. They run on every
 * request but the module's own in-process calls (see core/client/in-process.ts). False when the request
 * was refused (the answer is sent); rate-limit headers go into `responseHeaders`. `sessionKey`
 * (from `sessionRateLimitKey`, for `rateLimit.by: 'session'`) is whose counter the request goes on
 * when it carries a session; without one it counts by address.
 */
export async function checkClient(event: H3Event, api: ProxyApi, responseHeaders: Record<string, string>, sessionKey?: string): Promise<boolean> {
  const needsAddress = api.allowedIPs.length > 0 || (api.rateLimit !== false && sessionKey === undefined)
  const client = needsAddress ? clientAddressOf(event, api) : undefined
  // Fail closed: a check that cannot see the address must not wave the request through.
  if (needsAddress && client === undefined)
    return refuse(() => api.clientAddressHeader
      ? sendProxyError(event, 403, `This request does not say which address it came from (no valid ${api.clientAddressHeader} header).`)
      : sendProxyError(event, 500, unknownAddressMessage(api)))
  if (api.allowedIPs.length && !isAddressAllowed(client, api.allowedIPs))
    return refuse(() => sendProxyError(event, 403, 'Your address may not use this API.'))
  // A session API cannot turn this off (refused at build time): it is what stops CSRF.
  if ((api.sameOrigin || serverHeldModes.includes(api.mode)) && isCrossOriginRequest({ 'sec-fetch-site': requestHeader(event, 'sec-fetch-site'), 'origin': requestHeader(event, 'origin'), 'host': requestHeader(event, 'host') }))
    return refuse(() => sendProxyError(event, 403, 'This API only answers requests from this site\'s own pages.'))
  if (api.rateLimit) {
    const window = currentWindow(api.rateLimit, `ratelimit:${api.name}:${sessionKey ?? rateLimitClient(client)}`, Date.now())
    const verdict = rateLimitVerdict(api.rateLimit, await incrementCounter(proxyStorageBase, window.key, window.resetIn), window.resetIn)
    Object.assign(responseHeaders, verdict.headers)
    if (!verdict.allowed)
      return refuse(() => sendProxyError(event, 429, 'Too many requests; try again later.', verdict.headers))
  }
  return true
}

/** The visitor's address as the checks see it (also what `forwardClientAddress` sends the CMS). */
export function clientAddressOf(event: H3Event, api: ProxyApi): string | undefined {
  return resolveClientAddress({
    socket: socketAddress(event),
    forwardedFor: requestHeader(event, 'x-forwarded-for'),
    platformHeader: api.clientAddressHeader ? requestHeader(event, api.clientAddressHeader) : undefined,
  }, api.trustedProxies, api.clientAddressHeader !== '')
}

function unknownAddressMessage(api: ProxyApi): string {
  const checks = [api.allowedIPs.length ? 'allowedIPs' : '', api.rateLimit ? 'rateLimit' : ''].filter(Boolean).join(' and ')
  return `cmsAuth.apis.${api.name}.proxy.${checks} needs the visitor's address, and this deployment hands requests to the server without one. `
    + `Set cmsAuth.apis.${api.name}.proxy.clientAddressHeader (or ${api.clientAddressHeaderEnv}) to the header your host sets: `
    + 'cf-connecting-ip (Cloudflare), x-nf-client-connection-ip (Netlify), x-real-ip (Vercel), fly-client-ip (Fly.io).'
}

const refuse = (send: () => void) => {
  send()
  return false
}
