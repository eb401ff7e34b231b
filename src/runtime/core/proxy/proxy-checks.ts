import { configError } from '../config-error'
import { HTTP_TOKEN, isPlainObject, knownOptions, resolvePositiveInteger } from '../validate'
import { parseAddressRange } from './ip-match'
import { httpMethods } from './proxy-permissions'
import type { HttpMethod, PermissionRule } from './proxy-permissions'
import type { RateLimit } from './rate-limit'

/**
 * The proxy checks a deployment may change without a rebuild (staging and production differ):
 * validated at build time from nuxt.config, and again when the server starts, from runtimeConfig
 * and its `NUXT_CMS_AUTH_APIS_<NAME>_PROXY_…` variables, with the same messages.
 */
export interface RuntimeProxyChecks {
  methods: HttpMethod[]
  rules: PermissionRule[]
  allowedIPs: string[]
  trustedProxies: string[]
  rateLimit: false | RateLimit
  /** A header the host sets to the visitor's address (`cf-connecting-ip`…), or ''. */
  clientAddressHeader: string
}

export type RuntimeCheckName = keyof RuntimeProxyChecks

/**
 * Their keys under `runtimeConfig.cmsAuth.apis.<name>.proxy`. Nitro snake-cases keys into env
 * names, and `allowedIPs` would become `ALLOWED_I_PS`: `allowedIps` gives `ALLOWED_IPS`.
 */
export const runtimeCheckKeys: Readonly<Record<RuntimeCheckName, string>> = {
  methods: 'methods',
  rules: 'rules',
  allowedIPs: 'allowedIps',
  trustedProxies: 'trustedProxies',
  rateLimit: 'rateLimit',
  clientAddressHeader: 'clientAddressHeader',
}

const PATH_PATTERN = /^\/(?:[\w\-.~%!$&'()+,;=:@]+|\*\*?)?(?:\/(?:[\w\-.~%!$&'()+,;=:@]+|\*\*?))*\/?$/

interface CheckSource {
  /** How a message names one option: `cmsAuth.apis.blog.proxy.allowedIPs`, plus its env variable at runtime. */
  label: (option: RuntimeCheckName) => string
  /** Values from env variables: a list may be a comma-separated string. */
  fromEnv?: boolean
  /** The API's session is held by the server (auth 'dynamic' or 'cookie' with proxy). */
  sessionHeld?: boolean
}

/** Validates the runtime-overridable checks; throws a message naming the option (and variable). */
export function resolveRuntimeChecks(options: Partial<Record<RuntimeCheckName, unknown>>, source: CheckSource): RuntimeProxyChecks {
  const list = (option: RuntimeCheckName) => asList(options[option], source)
  return {
    methods: resolveMethods(source.label('methods'), list('methods') ?? ['GET']),
    rules: resolveRules(source.label('rules'), options.rules),
    allowedIPs: resolveAddressList(source.label('allowedIPs'), list('allowedIPs')),
    trustedProxies: resolveAddressList(source.label('trustedProxies'), list('trustedProxies')),
    rateLimit: resolveRateLimit(source.label('rateLimit'), options.rateLimit, source.sessionHeld === true),
    clientAddressHeader: resolveClientAddressHeader(source.label('clientAddressHeader'), options.clientAddressHeader),
  }
}

/** An env variable holds `GET,POST` or `["GET","POST"]` (Nitro parses the JSON form). */
function asList(value: unknown, source: CheckSource): unknown {
  if (source.fromEnv && typeof value === 'string')
    return value.split(',').map(item => item.trim()).filter(Boolean)
  return value
}

export function resolveMethods(key: string, methods: unknown): HttpMethod[] {
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
  if (rules === undefined || rules === '')
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

function resolveRateLimit(key: string, rateLimit: unknown, sessionHeld: boolean): false | RateLimit {
  if (rateLimit === undefined || rateLimit === false || rateLimit === '')
    return false
  if (!isPlainObject(rateLimit))
    throw configError(`${key} must be false or { limit, window, by? } (requests per client per window of seconds), e.g. { limit: 60, window: 60 }.`)
  knownOptions(key, rateLimit, ['limit', 'window', 'by'])
  const by = rateLimit.by ?? 'address'
  if (by !== 'address' && by !== 'session')
    throw configError(`${key}.by must be 'address' or 'session'; got ${JSON.stringify(rateLimit.by)}.`)
  if (by === 'session' && !sessionHeld)
    throw configError(`${key}.by 'session' needs a session the server holds (auth 'dynamic' or 'cookie' with proxy); this API has none, so count by 'address'.`)
  return {
    limit: resolvePositiveInteger(`${key}.limit`, rateLimit.limit, undefined, 'requests'),
    window: resolvePositiveInteger(`${key}.window`, rateLimit.window, undefined, 'seconds'),
    by,
  }
}

function resolveClientAddressHeader(key: string, header: unknown): string {
  if (header === undefined || header === '')
    return ''
  if (typeof header !== 'string' || !HTTP_TOKEN.test(header))
    throw configError(`${key} must be the name of a header your host sets to the visitor's address, e.g. 'cf-connecting-ip'; got ${JSON.stringify(header)}.`)
  return header.toLowerCase()
}
