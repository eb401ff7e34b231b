import type { CachePolicy, CacheRule } from '../core/cache/cache-policy'
import type { GenericTokenFields } from '../core/presets/generic'
import type { PresetName } from '../core/presets'
import type { RuntimeCheckName } from '../core/proxy/proxy-checks'
import type { PublicDynamicConfig } from '../dynamic-options'
import type { CmsApiMode } from '../core/config-types'
import type { CmsAuthMode, CredentialPlacement, ProxyChecks } from '../types'

/**
 * The shape of `#cms-auth-proxy-options`, the server template register-proxy.ts writes at build
 * time: what the proxy, the session and the cookie routes know of each API before runtimeConfig.
 */
export interface BuiltOptions {
  /** The Nitro storage mount for state shared between instances (`cmsAuth.storage`). */
  storage: string
  apis: Record<string, BuiltProxyOptions>
}

/** The static part of a proxy API, baked into the server build by register-proxy.ts. */
export interface BuiltProxyOptions extends Omit<ProxyChecks, RuntimeCheckName> {
  /** `proxy`, `proxy-session` or `proxy-cookie` (core/config-types.ts). */
  mode: CmsApiMode
  /** `<proxyPrefix>/<name>`, without the app base. */
  route: string
  /** The env variable of each check a deployment may override, for messages. */
  checkEnv: Record<RuntimeCheckName, string>
  auth: CmsAuthMode
  credential: CredentialPlacement
  headers: Record<string, string>
  /** `NUXT_CMS_AUTH_APIS_<NAME>_TOKEN`, named in the error when a deployment forgot it. */
  tokenEnv: string
  /** A server-held session (`auth: 'dynamic'` with proxy): how to log in and keep the cookie. */
  tokenSession?: BuiltSessionOptions
  /** `auth: 'cookie'` with proxy: the CMS's login endpoints and the path its cookies get. */
  cookieSession?: BuiltCookieSession
  /** With a login, the header that carries the token, the project key (Supabase's `apikey`). */
  loginKey?: string
  /** The preset whose `serverCredential` turns the token into the header value (Ghost Admin, WordPress). */
  serverCredential?: PresetName
  /** Preview mode: what preview requests change (the token and secret are runtimeConfig). */
  preview?: BuiltPreviewOptions
  /**
   * The query every read outside preview gets, for a CMS that gives drafts to any reader who asks
   * (Strapi 5: `status=published`; the preset's `preview.published`), with or without `preview`.
   */
  publishedQuery?: Record<string, string>
  /** `proxy.cache`: shared responses (`auth: 'none' | 'static'` only), and the rules' own settings. */
  cache: CachePolicy | false
  cacheRules: CacheRule[]
}

export interface BuiltPreviewOptions {
  preset: PresetName
  /** A direct API's route, registered for preview requests only: it refuses every other request. */
  only: boolean
  query: Record<string, string>
  headers: Record<string, string>
  /** Seconds a preview lasts. */
  maxAge: number
  /** The env variables of the preview's runtimeConfig, for messages. */
  env: { token: string, secret: string, baseURL: string }
}

export interface BuiltCookieSession {
  preset: PresetName
  endpoints: { login: string, logout?: string, user?: string }
  /** The proxy prefix (under `app.baseURL` at runtime). */
  path: string
  /** The user fields the page gets (all but secret-like ones when undefined). */
  userFields?: string[]
  /** Send the CMS the visitor's address (`X-Forwarded-For`) on login. */
  forwardClientAddress?: boolean
}

/** The build-time part of a server-held session (register-proxy.ts puts it in the proxy options). */
export interface BuiltSessionOptions {
  preset: PresetName
  endpoints: PublicDynamicConfig['endpoints']
  fields?: GenericTokenFields
  cookie: PublicDynamicConfig['cookie']
  refreshMargin: number
  fetchUser: boolean
  /** Seconds a session lives when the CMS does not say (the preset's documented default). */
  lifetime?: number
  /** The user fields the session keeps (all but secret-like ones when undefined). */
  userFields?: string[]
  /** Send the CMS the visitor's address (`X-Forwarded-For`) on login and refresh. */
  forwardClientAddress?: boolean
}
