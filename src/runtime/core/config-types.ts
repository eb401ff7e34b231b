/**
 * The config shapes every layer shares: what the CMS wants (`CmsAuthMode`), where a credential
 * goes, and the browser-safe runtimeConfig of an API. They live at the bottom, with no imports,
 * so core, app, server and config all read them from here; `types.ts` re-exports the public ones.
 */

/**
 * Where a CMS expects its credential: a request header (with an optional
 * value prefix such as `Bearer `) or a query parameter.
 */
export type CredentialPlacement
  = | { header: string, prefix?: string, query?: undefined }
    | { query: string, header?: undefined, prefix?: undefined }

/** What the CMS wants from a request (see docs/guide/modes.md). */
export type CmsAuthMode = 'none' | 'static' | 'dynamic' | 'cookie'
export const authModes: readonly CmsAuthMode[] = ['none', 'static', 'dynamic', 'cookie']

/**
 * Which of the six ways an API works, decided once from `auth` and `proxy` when the config is
 * resolved (config/resolve-apis.ts); every later layer switches on it rather than guessing from
 * which fields are set.
 * - `direct`: `none` or `static`, the browser and SSR call the CMS;
 * - `direct-dynamic`: login and refresh in the app, tokens in a cookie SSR can read;
 * - `direct-cookie`: the browser sends the CMS its session cookie;
 * - `proxy`: `none` or `static` through this server's route, the secret stays here;
 * - `proxy-session`: `dynamic` through the proxy, tokens held by the server (a sealed cookie);
 * - `proxy-cookie`: `cookie` through the proxy, the CMS's cookies as the app's own.
 */
export type CmsApiMode = 'direct' | 'direct-dynamic' | 'direct-cookie' | 'proxy' | 'proxy-session' | 'proxy-cookie'

export function apiModeOf(auth: CmsAuthMode, proxied: boolean): CmsApiMode {
  const login = auth === 'dynamic' ? 'session' : auth === 'cookie' ? 'cookie' : ''
  if (proxied)
    return login ? `proxy-${login}` as CmsApiMode : 'proxy'
  return auth === 'dynamic' ? 'direct-dynamic' : auth === 'cookie' ? 'direct-cookie' : 'direct'
}

/** The modes whose login the server holds: the session routes, the sealed cookie, CSRF guard. */
export const serverHeldModes: readonly CmsApiMode[] = ['proxy-session', 'proxy-cookie']

export interface CmsEndpoints {
  login?: string
  token?: string
  refresh?: string
  logout?: string
  user?: string
}

/** The browser-safe part of an API's config, in `runtimeConfig.public.cmsAuth.apis.<name>`. */
export interface PublicApiConfig {
  mode: CmsApiMode
  baseURL: string
  auth: CmsAuthMode
  credential: CredentialPlacement
  headers?: Record<string, string>
  /** Only for direct static APIs, where the browser sends it anyway, and a direct login's project key. */
  token?: string
  /** A direct login's project key goes in this header on every request (Supabase's `apikey`). */
  key?: string
  /** `auth: 'dynamic'` APIs: endpoints, storage and cookie options (no tokens). */
  dynamic?: PublicDynamicConfig
  /** Direct `auth: 'cookie'` APIs: where to log in, out and ask who is logged in; what SSR forwards. */
  cookie?: PublicCookieConfig
  /** Preview mode: the proxy route this API's requests take while the browser is in preview (no credential). */
  preview?: string
  /** A server-held session (`auth: 'dynamic' | 'cookie'` with proxy): its routes, no credential. */
  session?: {
    route: string
    loginRoute: string
  }
}

export interface PublicCookieConfig {
  endpoints: { login: string, logout?: string, user: string }
  /** The CMS cookies SSR forwards (overridable with `NUXT_PUBLIC_CMS_AUTH_APIS_<NAME>_COOKIE_NAMES='["…"]'`). */
  names: string[]
  loginRoute: string
}

/** The browser-safe, resolved form, in `runtimeConfig.public.cmsAuth.apis.<name>.dynamic`. */
export interface PublicDynamicConfig {
  endpoints: { login: string, token?: string, refresh?: string, logout?: string, user?: string }
  storage: 'cookie' | 'memory' | 'custom'
  cookie: { name: string, path: string, domain?: string, maxAge?: number, sameSite: 'lax' | 'strict' | 'none', secure?: boolean }
  refreshMargin: number
  loginRoute: string
  fetchUser: boolean
}
