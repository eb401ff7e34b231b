import { parseAddressRange } from '../runtime/core/ip-match'
import { credentialHeaders, hopByHopHeaders } from '../runtime/core/proxy-headers'
import { httpMethods } from '../runtime/core/proxy-permissions'
import type { HttpMethod, PermissionRule } from '../runtime/core/proxy-permissions'
import type { RateLimit } from '../runtime/core/rate-limit'
import type { CmsProxyOptions, ProxyChecks } from '../runtime/types'
import { configError } from './errors'

/** A proxy API's route and checks after validation; static, so it is baked into the server build. */
export interface ResolvedProxy extends ProxyChecks {
  /** `<proxyPrefix>/<name>`: what the browser calls instead of the CMS. */
  route: string
  /** `<proxyPrefix>/_session/<name>`: login/logout/session/refresh of a server-held session. */
  sessionRoute?: string
}

export const DEFAULT_PROXY_PREFIX = '/api/_cms'
const PROXY_KEYS: ReadonlyArray<keyof CmsProxyOptions> = ['methods', 'rules', 'allowedIPs', 'trustedProxies', 'rateLimit', 'maxBodySize', 'sameOrigin', 'timeout', 'forwardHeaders']
const HEADER_NAME = /^[!#$%&'*+.^`|~\w-]+$/
const PATH_PATTERN = /^\/(?:[\w\-.~%!$&'()+,;=:@]+|\*\*?)?(?:\/(?:[\w\-.~%!$&'()+,;=:@]+|\*\*?))*\/?$/

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
  const options: CmsProxyOptions = proxy === true ? {} : proxy
  for (const option of Object.keys(options)) {
    if (!PROXY_KEYS.includes(option as keyof CmsProxyOptions))
      throw configError(`${key}.proxy.${option} is not a proxy option (options: ${PROXY_KEYS.join(', ')}).`)
  }
  // The browser's session cookie rides on every request: the same-origin check is the CSRF guard.
  if (sessionHeld && options.sameOrigin === false)
    throw configError(`${key}.proxy.sameOrigin cannot be false for an API whose session the server holds (auth 'dynamic' or 'cookie' with proxy): another site could make its visitors' browsers act with their session. Remove it.`)
  return {
    route: `${prefix}/${name}`,
    // API names start with a letter, so `_session` can never be another API's route.
    ...(sessionHeld ? { sessionRoute: `${prefix}/_session/${name}` } : {}),
    methods: resolveMethods(`${key}.proxy.methods`, options.methods ?? ['GET']),
    rules: resolveRules(`${key}.proxy.rules`, options.rules),
    allowedIPs: resolveAddressList(`${key}.proxy.allowedIPs`, options.allowedIPs),
    trustedProxies: resolveAddressList(`${key}.proxy.trustedProxies`, options.trustedProxies),
    rateLimit: resolveRateLimit(`${key}.proxy.rateLimit`, options.rateLimit),
    maxBodySize: resolvePositiveInteger(`${key}.proxy.maxBodySize`, options.maxBodySize, 1024 * 1024, 'bytes'),
    sameOrigin: resolveBoolean(`${key}.proxy.sameOrigin`, options.sameOrigin, true),
    timeout: resolvePositiveInteger(`${key}.proxy.timeout`, options.timeout, 15_000, 'milliseconds'),
    forwardHeaders: resolveForwardHeaders(`${key}.proxy.forwardHeaders`, options.forwardHeaders, credentialHeader),
  }
}

function resolveMethods(key: string, methods: unknown): HttpMethod[] {
  if (!Array.isArray(methods))
    throw configError(`${key} must be an array of HTTP methods, e.g. ['GET'].`)
  return methods.map((method) => {
    const upper = typeof method === 'string' ? method.toUpperCase() : method
    if (!httpMethods.includes(upper))
      throw configError(`${key} has ${JSON.stringify(method)}; use methods from ${httpMethods.join(', ')}.`)
    return upper as HttpMethod
  })
}

function resolveRules(key: string, rules: unknown): PermissionRule[] {
  if (rules === undefined)
    return []
  if (!Array.isArray(rules))
    throw configError(`${key} must be an array of { path, methods }, e.g. [{ path: '/inquiries', methods: ['POST'] }].`)
  return rules.map((rule, index) => {
    if (!isPlainObject(rule) || typeof rule.path !== 'string' || !PATH_PATTERN.test(rule.path) || /\/\.{1,2}(?:\/|$)/.test(rule.path))
      throw configError(`${key}[${index}].path must be a path pattern starting with "/" ('/inquiries', '/blogs/*', '/content/**'); got ${JSON.stringify(isPlainObject(rule) ? rule.path : rule)}.`)
    return { path: rule.path, methods: resolveMethods(`${key}[${index}].methods`, rule.methods) }
  })
}

function resolveAddressList(key: string, list: unknown): string[] {
  if (list === undefined)
    return []
  if (!Array.isArray(list))
    throw configError(`${key} must be an array of addresses, e.g. ['192.0.2.1', '192.0.2.0/24', '192.0.2.1-192.0.2.9', '2001:db8::/32'].`)
  for (const entry of list) {
    if (typeof entry !== 'string' || !parseAddressRange(entry))
      throw configError(`${key} has ${JSON.stringify(entry)}, which is not an IP address, a CIDR block (192.0.2.0/24) or a range of one family (192.0.2.1-192.0.2.9).`)
  }
  return list
}

function resolveRateLimit(key: string, rateLimit: unknown): false | RateLimit {
  if (rateLimit === undefined || rateLimit === false)
    return false
  if (!isPlainObject(rateLimit))
    throw configError(`${key} must be false or { limit, window } (requests per client address per window of seconds), e.g. { limit: 60, window: 60 }.`)
  return {
    limit: resolvePositiveInteger(`${key}.limit`, rateLimit.limit, undefined, 'requests'),
    window: resolvePositiveInteger(`${key}.window`, rateLimit.window, undefined, 'seconds'),
  }
}

function resolveForwardHeaders(key: string, headers: unknown, credentialHeader = ''): string[] {
  if (headers === undefined)
    return []
  if (!Array.isArray(headers))
    throw configError(`${key} must be an array of header names.`)
  return headers.map((header) => {
    if (typeof header !== 'string' || !HEADER_NAME.test(header))
      throw configError(`${key} has ${JSON.stringify(header)}, which is not a header name.`)
    const lower = header.toLowerCase()
    if (credentialHeaders.includes(lower) || lower === credentialHeader.toLowerCase() || hopByHopHeaders.includes(lower) || lower.startsWith('x-forwarded-'))
      throw configError(`${key} may not forward ${header}: the proxy adds the API's own credential, and ${header} is a credential, hop-by-hop or forwarding header. Remove it.`)
    return lower
  })
}

function resolvePositiveInteger(key: string, value: unknown, fallback: number | undefined, unit: string): number {
  if (value === undefined && fallback !== undefined)
    return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw configError(`${key} must be a positive whole number of ${unit}; got ${JSON.stringify(value)}.`)
  return value
}

function resolveBoolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined)
    return fallback
  if (typeof value !== 'boolean')
    throw configError(`${key} must be true or false.`)
  return value
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
