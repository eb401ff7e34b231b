import { presetNames, presets } from '../runtime/core/presets'
import type { CredentialPlacement } from '../runtime/core/presets'
import { apiModeOf, authModes } from '../runtime/core/config-types'
import type { CmsApiMode } from '../runtime/core/config-types'
import type { CmsApiOptions, CmsAuthMode, PresetName } from '../runtime/types'
import { runtimeEnvName } from './env-names'
import { HTTP_TOKEN, isPlainObject, knownOptions, resolveHeaderRecord } from '../runtime/core/validate'
import { configError } from './errors'
import { ownCookieError, resolveCookieMode } from './resolve-cookie'
import type { CookieEndpoints, ResolvedCookie } from './resolve-cookie'
import { defaultCredential, resolveDynamic } from './resolve-dynamic'
import type { ResolvedDynamic } from './resolve-dynamic'
import { presetOptionKeys, proxyRequiredError, resolvePresetSetup } from './resolve-preset'
import { resolvePreview } from './resolve-preview'
import type { ResolvedPreview } from './resolve-preview'
import { DEFAULT_PROXY_PREFIX, resolveProxy } from './resolve-proxy'
import type { ResolvedProxy } from './resolve-proxy'
import { resolveWebhook } from './resolve-webhook'
import type { ResolvedWebhook } from './resolve-webhook'

/** An API entry after validation and defaults: everything downstream reads this, never raw options. */
export interface ResolvedApi {
  name: string
  /** How this API works (one of six), decided here from `auth` and `proxy`. */
  mode: CmsApiMode
  preset: PresetName
  baseURL: string
  auth: CmsAuthMode
  /** The proxy route and its checks, or `false` for a direct API. */
  proxy: ResolvedProxy | false
  token: string
  tokenFromEnv: boolean
  credential: CredentialPlacement
  headers: Record<string, string>
  /** Login/refresh options of an `auth: 'dynamic'` API. */
  dynamic?: ResolvedDynamic
  /** `auth: 'cookie'`: where the server (proxy) or the app (direct) logs in, out, and asks who is logged in. */
  cookieEndpoints?: CookieEndpoints
  /** `auth: 'cookie'`: the CMS cookies SSR forwards (direct only) and the login route. */
  cookie?: ResolvedCookie
  /** With a login, the header that carries `token`, the project key (Supabase's `apikey`). */
  loginKey?: string
  /** The server turns the token into the header value per request (Ghost Admin, WordPress). */
  serverCredential?: boolean
  /** Preview mode: what preview requests change, and the route a direct API gets for them. */
  preview?: ResolvedPreview
  /** The CMS's change notifications: the route, how they are signed, the limits. */
  webhook?: ResolvedWebhook
}

export type { CookieEndpoints }

export interface ResolveContext {
  /** A production build: a missing static token is an error instead of a warning. */
  production: boolean
  warn: (message: string) => void
  /** `cmsAuth.proxyPrefix`, already validated. @default '/api/_cms' */
  proxyPrefix?: string
}

const API_NAME = /^[A-Z]\w*$/i
// RFC 9110 `token`: what a header name may contain.
const KNOWN_KEYS: ReadonlyArray<keyof CmsApiOptions> = ['preset', 'baseURL', 'auth', 'proxy', 'token', 'tokenFromEnv', 'credential', 'headers', 'endpoints', 'dynamic', 'cookie', 'preview', 'webhook', ...presetOptionKeys]

export function resolveApis(apis: unknown, context: ResolveContext): ResolvedApi[] {
  if (apis === undefined)
    return []
  if (!isPlainObject(apis))
    throw configError('cmsAuth.apis must be an object that maps API names to their options, e.g. { blog: { preset: \'kuroco\', baseURL: \'…\' } }.')
  const resolved = Object.entries(apis).map(([name, options]) => resolveApi(name, options, context))
  rejectEnvNameClashes(resolved)
  rejectForwardedTokenCookies(resolved)
  return resolved
}

function resolveApi(name: string, options: unknown, context: ResolveContext): ResolvedApi {
  const key = `cmsAuth.apis.${name}`
  if (!API_NAME.test(name))
    throw configError(`"${name}" is not a valid API name in cmsAuth.apis: use letters, digits and _ only, starting with a letter (it becomes part of env variable names and URLs).`)
  if (!isPlainObject(options))
    throw configError(`${key} must be an object with at least baseURL.`)
  const api = knownOptions(key, options, KNOWN_KEYS) as CmsApiOptions

  const preset = api.preset ?? 'generic'
  if (!presetNames.includes(preset))
    throw configError(`${key}.preset "${preset}" is unknown; use one of ${presetNames.join(', ')}.`)
  const auth = api.auth ?? 'none'
  if (!authModes.includes(auth))
    throw configError(`${key}.auth "${auth}" is unknown; use one of ${authModes.join(', ')}.`)
  if (!presets[preset].supports.includes(auth))
    throw configError(`${key}.auth "${auth}" is not something ${preset} offers; it supports ${presets[preset].supports.join(', ')}.`)
  const setup = resolvePresetSetup(key, preset, auth, api)
  const credential = resolveCredential(key, api.credential) ?? defaultCredential(preset, auth, setup)
  const proxyPrefix = context.proxyPrefix ?? DEFAULT_PROXY_PREFIX
  const proxy = resolveProxy(key, name, api.proxy, proxyPrefix, credential.header, auth === 'dynamic' || auth === 'cookie')
  if ((setup.serverOnly || setup.proxyOnly) && !proxy)
    throw proxyRequiredError(key, name, setup, proxyPrefix)
  const loginKey = auth === 'dynamic' ? presets[preset].loginKey?.header : undefined
  // A proxy API's secrets are private runtimeConfig, so its env variables have no PUBLIC_.
  const scope = proxy ? 'private' : 'public'
  const baseURL = resolveBaseURL(key, runtimeEnvName(scope, name, 'baseURL'), api.baseURL)
  const token = resolveToken(key, name, runtimeEnvName(scope, name, 'token'), api, auth === 'static' || Boolean(loginKey), context)
  const webhook = resolveWebhook(key, name, preset, api.webhook, proxyPrefix)
  const preview = resolvePreview(key, api.preview, { name, preset, auth, setup, proxy, proxyPrefix, credential, baseURL })
  // A CMS that gives drafts to any reader who asks (Strapi's `status`): only the proxy keeps them from visitors.
  const published = preview && !proxy ? presets[preset].preview?.published : undefined
  if (published)
    context.warn(`${key}.preview: ${preset} gives drafts to any reader who asks (any ${Object.keys(published).join(', ')} but ${new URLSearchParams(published)}), and ${key} is direct, so visitors can read drafts without preview. To keep drafts private, set ${key}.proxy: true (outside preview the proxy asks for ${new URLSearchParams(published)}) and give the CMS's public role no read on types with drafts.`)

  return {
    name,
    mode: apiModeOf(auth, proxy !== false),
    preset,
    baseURL,
    auth,
    proxy,
    token,
    tokenFromEnv: api.tokenFromEnv === true,
    credential,
    headers: resolveHeaderRecord(`${key}.headers`, api.headers),
    dynamic: resolveDynamic(key, name, api, setup.endpoints),
    ...resolveCookieMode(key, api, setup.endpoints),
    ...(loginKey ? { loginKey } : {}),
    ...(setup.serverCredential ? { serverCredential: true } : {}),
    ...(preview ? { preview } : {}),
    ...(webhook ? { webhook } : {}),
  }
}

function resolveBaseURL(key: string, envName: string, baseURL: unknown): string {
  if (baseURL === undefined || baseURL === '')
    throw configError(`${key}.baseURL is missing (set the option, e.g. from process.env, or a placeholder that ${envName} overrides at runtime).`)
  if (typeof baseURL !== 'string' || !(/^https?:\/\/[^/]/.test(baseURL) || /^\/(?!\/)/.test(baseURL)))
    throw configError(`${key}.baseURL must be an absolute http(s) URL or a path of this app starting with "/"; got ${JSON.stringify(baseURL)}.`)
  try {
    new URL(baseURL, 'http://localhost')
  }
  catch {
    throw configError(`${key}.baseURL ${JSON.stringify(baseURL)} is not a valid URL.`)
  }
  return baseURL.replace(/\/+$/, '')
}

/** `token`: a static API's credential, or the project key that rides beside a login (Supabase). */
function resolveToken(key: string, name: string, envName: string, api: CmsApiOptions, takesToken: boolean, context: ResolveContext): string {
  if (!takesToken) {
    if (api.token !== undefined)
      throw configError(`${key}.token is set but ${key}.auth is "${api.auth ?? 'none'}"; set auth: 'static' to send it.`)
    return ''
  }
  if (api.token !== undefined && typeof api.token !== 'string')
    throw configError(`${key}.token must be a string.`)
  const token = api.token ?? ''
  if (token || api.tokenFromEnv)
    return token
  const message = `${key}.token is empty, so requests to "${name}" would carry no credential. Set it (e.g. token: process.env.MY_TOKEN), or set ${key}.tokenFromEnv: true if the built server gets ${envName} at runtime.`
  if (context.production)
    throw configError(message)
  context.warn(message)
  return ''
}

function resolveCredential(key: string, credential: CmsApiOptions['credential']): CredentialPlacement | undefined {
  if (credential === undefined)
    return undefined
  if (!isPlainObject(credential) || (credential.header === undefined) === (credential.query === undefined))
    throw configError(`${key}.credential must be either { header: 'Name', prefix?: 'Bearer ' } or { query: 'name' }.`)
  if (credential.query !== undefined) {
    if (typeof credential.query !== 'string' || !credential.query)
      throw configError(`${key}.credential.query must be a non-empty parameter name.`)
    return { query: credential.query }
  }
  if (typeof credential.header !== 'string' || !HTTP_TOKEN.test(credential.header))
    throw configError(`${key}.credential.header ${JSON.stringify(credential.header)} is not a valid header name.`)
  return { header: credential.header, prefix: credential.prefix ?? '' }
}

// `memberApi` and `member_api` would read the same env variables: the second would silently win.
function rejectEnvNameClashes(apis: ResolvedApi[]): void {
  const seen = new Map<string, string>()
  for (const api of apis) {
    const envName = runtimeEnvName('public', api.name, 'baseURL')
    const other = seen.get(envName)
    if (other)
      throw configError(`cmsAuth.apis.${other} and cmsAuth.apis.${api.name} map to the same env variable ${envName}; rename one of them.`)
    seen.set(envName, api.name)
  }
}

// A direct cookie API's forwarded cookies must not include a token cookie renamed by `dynamic.cookie.name`.
function rejectForwardedTokenCookies(apis: ResolvedApi[]): void {
  const tokenCookies = new Set(apis.map(api => api.dynamic?.cookie.name))
  for (const api of apis) {
    const name = api.cookie?.names.find(cookie => tokenCookies.has(cookie))
    if (name)
      throw ownCookieError(`cmsAuth.apis.${api.name}.cookie.names`, name)
  }
}
