import { resolveRuntimeChecks } from '../runtime/core/proxy/proxy-checks'
import { HTTP_TOKEN, isPlainObject, knownOptions, resolvePositiveInteger } from '../runtime/core/validate'
import { credentialHeaders, hopByHopHeaders } from '../runtime/core/proxy/proxy-headers'
import type { CmsProxyOptions, ProxyChecks } from '../runtime/types'
import { configError } from './errors'
import { resolveProxyCache } from './resolve-cache'
import type { ResolvedProxyCache } from './resolve-cache'

/** A proxy API's route and checks after validation; static, so it is baked into the server build. */
export interface ResolvedProxy extends ProxyChecks, ResolvedProxyCache {
  /** `<proxyPrefix>/<name>`: what the browser calls instead of the CMS. */
  route: string
  /** `<proxyPrefix>/_session/<name>`: login/logout/session/refresh of a server-held session. */
  sessionRoute?: string
}

export const DEFAULT_PROXY_PREFIX = '/api/_cms'
const PROXY_KEYS: ReadonlyArray<keyof CmsProxyOptions> = ['methods', 'rules', 'allowedIPs', 'trustedProxies', 'clientAddressHeader', 'rateLimit', 'maxBodySize', 'sameOrigin', 'timeout', 'forwardHeaders', 'responseHeaders', 'cache']

/** `cmsAuth.proxyPrefix`: a plain path, because it becomes the start of a Nitro route. */
export function resolveProxyPrefix(prefix: unknown): string {
  if (prefix === undefined)
    return DEFAULT_PROXY_PREFIX
  if (typeof prefix !== 'string' || !/^(?:\/[\w\-.~]+)+\/?$/.test(prefix))
    throw configError(`cmsAuth.proxyPrefix must be a path like '${DEFAULT_PROXY_PREFIX}' (segments of letters, digits, - _ . ~); got ${JSON.stringify(prefix)}.`)
  return prefix.replace(/\/$/, '')
}

/** Validates `cmsAuth.apis.<name>.proxy`; `false` for a direct API. */
export function resolveProxy(key: string, name: string, proxy: unknown, prefix: string, credentialHeader?: string, sessionHeld = false): ResolvedProxy | false {
  if (proxy === undefined || proxy === false)
    return false
  if (proxy !== true && !isPlainObject(proxy))
    throw configError(`${key}.proxy must be true, false or an options object ({ methods, rules, allowedIPs, … }).`)
  const options = knownOptions(`${key}.proxy`, proxy === true ? {} : proxy, PROXY_KEYS) as CmsProxyOptions
  // The browser's session cookie rides on every request: the same-origin check is the CSRF guard.
  if (sessionHeld && options.sameOrigin === false)
    throw configError(`${key}.proxy.sameOrigin cannot be false for an API whose session the server holds (auth 'dynamic' or 'cookie' with proxy): another site could make its visitors' browsers act with their session. Remove it.`)
  return {
    route: `${prefix}/${name}`,
    // API names start with a letter, so `_session` can never be another API's route.
    ...(sessionHeld ? { sessionRoute: `${prefix}/_session/${name}` } : {}),
    ...resolveRuntimeChecks(options, { label: option => `${key}.proxy.${option}`, sessionHeld }),
    maxBodySize: resolvePositiveInteger(`${key}.proxy.maxBodySize`, options.maxBodySize, 1024 * 1024, 'bytes'),
    sameOrigin: resolveBoolean(`${key}.proxy.sameOrigin`, options.sameOrigin, true),
    timeout: resolvePositiveInteger(`${key}.proxy.timeout`, options.timeout, 15_000, 'milliseconds'),
    forwardHeaders: resolveForwardHeaders(`${key}.proxy.forwardHeaders`, options.forwardHeaders, credentialHeader),
    responseHeaders: resolveResponseHeaders(`${key}.proxy.responseHeaders`, options.responseHeaders, credentialHeader),
    ...resolveProxyCache(`${key}.proxy`, sessionHeld, options.cache, options.rules),
  }
}

function resolveForwardHeaders(key: string, headers: unknown, credentialHeader = ''): string[] {
  if (headers === undefined)
    return []
  if (!Array.isArray(headers))
    throw configError(`${key} must be an array of header names.`)
  return headers.map((header) => {
    if (typeof header !== 'string' || !HTTP_TOKEN.test(header))
      throw configError(`${key} has ${JSON.stringify(header)}, which is not a header name.`)
    const lower = header.toLowerCase()
    if (credentialHeaders.includes(lower) || lower === credentialHeader.toLowerCase() || hopByHopHeaders.includes(lower) || lower.startsWith('x-forwarded-'))
      throw configError(`${key} may not forward ${header}: the proxy adds the API's own credential, and ${header} is a credential, hop-by-hop or forwarding header. Remove it.`)
    return lower
  })
}

/**
 * Response headers the CMS sends that the browser may see besides the built-in content and caching
 * ones (request ids, pagination totals). Credentials, cookies and hop-by-hop headers never pass;
 * `Location` names the CMS host, and `Set-Cookie` belongs to the modes that rewrite it.
 */
function resolveResponseHeaders(key: string, headers: unknown, credentialHeader = ''): string[] {
  if (headers === undefined)
    return []
  if (!Array.isArray(headers))
    throw configError(`${key} must be an array of header names, e.g. ['x-request-id', 'x-total-count'].`)
  return headers.map((header) => {
    if (typeof header !== 'string' || !HTTP_TOKEN.test(header))
      throw configError(`${key} has ${JSON.stringify(header)}, which is not a header name.`)
    const lower = header.toLowerCase()
    if (credentialHeaders.includes(lower) || lower === credentialHeader.toLowerCase() || UNSAFE_RESPONSE_HEADERS.includes(lower) || hopByHopHeaders.includes(lower))
      throw configError(`${key} may not pass ${header} to the browser: it carries a credential or a cookie, names the CMS host, or describes one connection only. Remove it.`)
    return lower
  })
}

const UNSAFE_RESPONSE_HEADERS = ['set-cookie', 'set-cookie2', 'www-authenticate', 'proxy-authenticate', 'authentication-info', 'location', 'content-location', 'refresh', 'alt-svc']

function resolveBoolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined)
    return fallback
  if (typeof value !== 'boolean')
    throw configError(`${key} must be true or false.`)
  return value
}
