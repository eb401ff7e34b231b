// @ts-ignore: a Nitro virtual module that register-proxy.ts generates at build time
import builtOptions from '#cms-auth-proxy-options'
import { useRuntimeConfig } from 'nitropack/runtime'
import { underAppBase } from '../../core/client/app-base'
import { cookiePrefixFor } from '../../core/cookies/cms-cookies'
import type { CmsCookieScope } from '../../core/cookies/cms-cookies'
import { attachCredential } from '../../core/client/credential'
import { keyedRequestHeaders } from '../../core/cache/cache-key'
import type { CachePolicy, CacheRule } from '../../core/cache/cache-policy'
import { compileAddressList } from '../../core/proxy/ip-match'
import { secretSpellings } from '../../core/proxy/redact-secrets'
import type { AddressRange } from '../../core/proxy/ip-match'
import { resolveRuntimeChecks, runtimeCheckKeys } from '../../core/proxy/proxy-checks'
import type { RuntimeCheckName } from '../../core/proxy/proxy-checks'
import { forwardedRequestHeaders, forwardedResponseHeaders } from '../../core/proxy/proxy-headers'
import type { Permissions } from '../../core/proxy/proxy-permissions'
import type { RateLimit } from '../../core/proxy/rate-limit'
import { presets } from '../../core/presets'
import type { PresetName, ServerCredential } from '../../core/presets'
import { serverHeldModes } from '../../core/config-types'
import type { CmsApiMode } from '../../core/config-types'
import type { CmsAuthMode, CredentialPlacement, PublicApiConfig } from '../../types'
import type { BuiltCookieSession, BuiltOptions, BuiltProxyOptions, BuiltSessionOptions } from '../built-options'
import { createPreviewApi } from '../preview/preview-config'
import type { PreviewApi, PrivatePreviewConfig } from '../preview/preview-config'

const proxyOptions = builtOptions as BuiltOptions

/** Whether an API seals anything into a cookie (tokens, or the CMS cookies' copy for SSR): it needs the password. */
export const hasSealedSessions: boolean = Object.values(proxyOptions.apis).some(api => serverHeldModes.includes(api.mode))

/** The Nitro storage mount for state shared between instances (`cmsAuth.storage`). */
export const proxyStorageBase: string = proxyOptions.storage

/** Where and how the server reaches one API: the secret already placed, computed once. */
export interface ServerApiTarget {
  /** Absolute upstream URL, or a path this app serves itself (reached in-process). */
  baseURL: string
  /** Extra headers and the credential header, lower-cased. */
  headers: Record<string, string>
  /** The credential as a query parameter (`api_key=…`), or ''. */
  query: string
  /** Set when a static API has no token on this deployment: requests fail with this message. */
  missingToken?: string
  /** The credential header computed from the secret, when it is not the secret itself (Ghost Admin's signed token). */
  credentialHeaders?: () => Promise<Record<string, string>>
  /** How the secrets this server adds could appear in a CMS error body: removed before it is sent on. */
  secretSpellings: string[]
}

/** A proxy API ready for the hot path: nothing here is recomputed per request. */
export interface ProxyApi extends ServerApiTarget {
  name: string
  /** `proxy`, `proxy-session` or `proxy-cookie`: what the route does with a request. */
  mode: CmsApiMode
  permissions: Permissions
  allowedIPs: AddressRange[]
  trustedProxies: AddressRange[]
  /** A header the host sets to the visitor's address, lower-cased, or ''. */
  clientAddressHeader: string
  /** Its env variable, for the message when it is needed and missing. */
  clientAddressHeaderEnv: string
  /** `<app base><proxyPrefix>/<name>`: the route as a client writes it, to find the raw path below it. */
  route: string
  rateLimit: false | RateLimit
  maxBodySize: number
  sameOrigin: boolean
  timeout: number
  requestHeaders: ReadonlySet<string>
  responseHeaders: ReadonlySet<string>
  /** The CMS as an absolute URL; `undefined` for a base URL served by this app (reached in-process). */
  upstream?: URL
  auth: CmsAuthMode
  credential: CredentialPlacement
  tokenSession?: BuiltSessionOptions
  cookieSession?: BuiltCookieSession
  /** Cookie mode: the prefix and path of this upstream's cookies in the browser. */
  cookieScope?: CmsCookieScope
  /** `proxy.cache` and the rules' own settings (server/cache/proxy-cache.ts). */
  cache: CachePolicy | false
  cacheRules: CacheRule[]
  /** The request headers a cached response is keyed by: Accept, Accept-Language and `forwardHeaders`. */
  cacheKeyed: string[]
  /** Preview mode: where preview requests go, with the preview token (server/preview/). */
  preview?: PreviewApi
  /** Set on every read outside preview (built-options.ts `publishedQuery`): Strapi's `status=published`. */
  publishedQuery?: Record<string, string>
}

interface PrivateApiConfig { baseURL?: string, token?: string, proxy?: Record<string, unknown>, preview?: PrivatePreviewConfig }

let proxyApis: Map<string, ProxyApi> | undefined
const serverTargets = new Map<string, ServerApiTarget>()

/**
 * The proxy API called `name`, resolved on first use from the build-time options and the private
 * runtimeConfig. `useRuntimeConfig()` without an event already holds the env overrides applied
 * at server start; the per-event variant copies the whole config on every call.
 */
export function useProxyApi(name: string): ProxyApi | undefined {
  return resolveProxyApis().get(name)
}

/**
 * Every proxy API, resolved and validated once per server start (the startup plugin calls it, so
 * a bad env override stops the server with its message; it never falls back to an open proxy).
 */
export function resolveProxyApis(): Map<string, ProxyApi> {
  proxyApis ||= new Map(Object.entries(proxyOptions.apis).map(([apiName, options]) => [apiName, createProxyApi(apiName, options)]))
  return proxyApis
}

/** The base URL, headers and credential the server uses for any configured API. */
export function useServerApiTarget(name: string): ServerApiTarget | undefined {
  const proxy = useProxyApi(name)
  // A direct API's preview-only route places no credential: the server calls it as the page would.
  if (proxy && !proxy.preview?.only)
    return proxy
  let target = serverTargets.get(name)
  if (!target) {
    const api = publicApiConfig(name)
    if (!api)
      return undefined
    target = placeCredential(name, underAppBase(api.baseURL, appBase()), { auth: api.auth, credential: api.credential, headers: api.headers ?? {}, loginKey: api.key }, api.token ?? '', 'its NUXT_PUBLIC_ env variable')
    serverTargets.set(name, target)
  }
  return target
}

function createProxyApi(name: string, options: BuiltProxyOptions): ProxyApi {
  const secrets = (useRuntimeConfig().cmsAuth as { apis?: Record<string, PrivateApiConfig> } | undefined)?.apis?.[name]
  // A direct API's preview-only route reaches the CMS where the page would (its public base URL).
  const configured = options.preview?.only ? publicApiConfig(name)?.baseURL : secrets?.baseURL
  const baseURL = underAppBase((configured ?? '').replace(/\/+$/, ''), appBase())
  const target = placeCredential(name, baseURL, options, secrets?.token ?? '', options.tokenEnv)
  const runtime = secrets?.proxy ?? {}
  const checks = resolveRuntimeChecks(
    Object.fromEntries((Object.keys(runtimeCheckKeys) as RuntimeCheckName[]).map(check => [check, runtime[runtimeCheckKeys[check]]])),
    { label: check => `cmsAuth.apis.${name}.proxy.${check} (${options.checkEnv[check]})`, fromEnv: true, sessionHeld: serverHeldModes.includes(options.mode) },
  )
  return {
    ...target,
    name,
    mode: options.mode,
    permissions: { methods: checks.methods, rules: checks.rules },
    allowedIPs: compileAddressList(checks.allowedIPs),
    trustedProxies: compileAddressList(checks.trustedProxies),
    clientAddressHeader: checks.clientAddressHeader,
    clientAddressHeaderEnv: options.checkEnv.clientAddressHeader,
    route: underAppBase(options.route, appBase()),
    rateLimit: checks.rateLimit,
    maxBodySize: options.maxBodySize,
    sameOrigin: options.sameOrigin,
    timeout: options.timeout,
    requestHeaders: new Set([...forwardedRequestHeaders, ...options.forwardHeaders]),
    responseHeaders: new Set([...forwardedResponseHeaders, ...options.responseHeaders]),
    upstream: /^https?:\/\//.test(baseURL) ? new URL(baseURL) : undefined,
    auth: options.auth,
    credential: options.credential,
    tokenSession: options.tokenSession,
    cookieSession: options.cookieSession,
    cookieScope: options.cookieSession && cookieScopeOf(baseURL, options.cookieSession),
    cache: options.cache ?? false,
    cacheRules: options.cacheRules ?? [],
    cacheKeyed: [...new Set([...keyedRequestHeaders, ...options.forwardHeaders])],
    ...(options.publishedQuery ? { publishedQuery: options.publishedQuery } : {}),
    ...(options.preview ? { preview: createPreviewApi({ name, built: options.preview, secrets: secrets?.preview, baseURL, credential: options.credential, headers: options.headers, underAppBase: url => underAppBase(url, appBase()) }) } : {}),
  }
}

/**
 * APIs on one upstream origin share a prefix, so they share the CMS session (Kuroco's rule); the
 * origin is read at runtime, because NUXT_CMS_AUTH_APIS_<NAME>_BASE_URL may move it.
 */
function cookieScopeOf(baseURL: string, { path }: BuiltCookieSession): CmsCookieScope {
  const origin = /^https?:\/\//.test(baseURL) ? new URL(baseURL).origin : 'self'
  return { prefix: cookiePrefixFor(fnv1a(origin)), path: underAppBase(path, appBase()), pagePath: appBase() }
}

/**
 * A proxy API as `createCmsClient`/`createSend` see it when the server itself calls the CMS (SSR of
 * a session, the session routes): its base URL and headers, the credential already among them.
 */
export function serverClientConfig(api: ProxyApi): PublicApiConfig {
  return { mode: 'direct', baseURL: api.baseURL, auth: 'none', credential: api.credential, headers: api.headers }
}

/** 32-bit FNV-1a as 8 hex digits: tells a handful of origins apart, synchronously, on every runtime. */
function fnv1a(text: string): string {
  let hash = 0x811C9DC5
  for (const byte of new TextEncoder().encode(text))
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}

const publicApiConfig = (name: string): PublicApiConfig | undefined => (useRuntimeConfig().public.cmsAuth as { apis: Record<string, PublicApiConfig> } | undefined)?.apis[name]

/** The app's base path (`app.baseURL`, NUXT_APP_BASE_URL at runtime): where the app's own routes live. */
export const appBase = (): string => (useRuntimeConfig().app as { baseURL?: string } | undefined)?.baseURL || '/'

type Placement = Pick<BuiltProxyOptions, 'auth' | 'credential' | 'headers' | 'loginKey' | 'serverCredential'>

/**
 * Runs the same `attachCredential` the browser client uses, once, and keeps the result; a secret
 * the preset turns into something else on the wire (`serverCredential`) gets its own function.
 */
function placeCredential(name: string, baseURL: string, { auth, credential, headers: extraHeaders, loginKey, serverCredential }: Placement, token: string, envName: string): ServerApiTarget {
  const target: { headers: Headers, query?: Record<string, unknown> } = { headers: new Headers(extraHeaders) }
  if ((auth === 'static' || loginKey) && !token)
    return { baseURL, headers: {}, query: '', secretSpellings: [], missingToken: `cmsAuth.apis.${name}.token is empty on this deployment (set ${envName})` }
  // Supabase: the project key beside the user's token, on every request of the session.
  if (loginKey)
    target.headers.set(loginKey, token)
  const secrets = secretSpellings(auth === 'static' || loginKey ? [token] : [])
  const sign = serverCredential && presets[serverCredential].serverCredential
  if (auth === 'static' && sign)
    return { baseURL, headers: Object.fromEntries(target.headers), query: '', secretSpellings: secrets, credentialHeaders: computedCredential(name, credential, token, sign) }
  if (auth === 'static')
    attachCredential(target, credential, token)
  const query = target.query ? new URLSearchParams(target.query as Record<string, string>).toString() : ''
  return { baseURL, headers: Object.fromEntries(target.headers), query, secretSpellings: secrets }
}

/**
 * The header of a credential computed from the secret (a Ghost Admin token is signed for at most
 * 5 minutes), reused until the preset says; concurrent requests share one computation.
 */
function computedCredential(name: string, credential: BuiltProxyOptions['credential'], secret: string, sign: NonNullable<typeof presets[PresetName]['serverCredential']>): () => Promise<Record<string, string>> {
  let current: Promise<ServerCredential> | undefined
  let reuseUntil = 0
  const header = credential.header!.toLowerCase()
  return async () => {
    if (!current || Date.now() >= reuseUntil) {
      current = sign(secret, Date.now()).catch((error: Error) => {
        current = undefined
        // The reason names the form the secret should have, never the secret.
        throw new Error(`cmsAuth.apis.${name}: ${error.message}`)
      })
      reuseUntil = Number.POSITIVE_INFINITY
      current.then((signed) => {
        reuseUntil = signed.reuseUntil
      }, () => {})
    }
    return { [header]: (credential.prefix ?? '') + (await current).value }
  }
}
