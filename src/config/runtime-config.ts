import { defu } from 'defu'
import { serverHeldModes } from '../runtime/core/config-types'
import { runtimeCheckKeys } from '../runtime/core/proxy/proxy-checks'
import type { RuntimeCheckName } from '../runtime/core/proxy/proxy-checks'
import type { PublicDynamicConfig } from '../runtime/dynamic-options'
import type { PublicApiConfig, PublicCookieConfig } from '../runtime/types'
import { DEFAULT_STORAGE_TIMEOUT } from '../runtime/core/session/session-data'
import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'
import { DEFAULT_PROXY_PREFIX } from './resolve-proxy'

/** A proxy API's server-only values: `NUXT_CMS_AUTH_APIS_<NAME>_TOKEN` / `_BASE_URL` override them. */
export interface PrivateApiConfig {
  baseURL?: string
  token?: string
  /** The checks a deployment may change (`NUXT_CMS_AUTH_APIS_<NAME>_PROXY_ALLOWED_IPS`…), under their runtime keys; a direct API's preview-only route has them too. */
  proxy?: Record<string, unknown>
  /** Preview mode's credential, link secret and drafts' host (`NUXT_CMS_AUTH_APIS_<NAME>_PREVIEW_TOKEN`…); a direct API has only this and `proxy`. */
  preview?: PrivatePreviewConfig
  /** The webhook's signing (or shared) secret, `NUXT_CMS_AUTH_APIS_<NAME>_WEBHOOK_SECRET`: pre-seeded empty, set on the server. */
  webhookSecret?: string
}

export interface PrivatePreviewConfig {
  token: string
  secret: string
  baseURL: string
}

export interface CmsAuthRuntimeConfig {
  /** `previewRoute`: where editors enter and leave preview (`<proxyPrefix>/_preview`), when an API has one. */
  public: { apis: Record<string, PublicApiConfig>, previewRoute?: string }
  /**
   * `sessionPassword` seals server-held sessions of both kinds (`NUXT_CMS_AUTH_SESSION_PASSWORD`),
   * seeded when one exists; `storageTimeout` bounds each storage call (`NUXT_CMS_AUTH_STORAGE_TIMEOUT`).
   */
  private: { apis: Record<string, PrivateApiConfig>, storageTimeout: number, sessionPassword?: string }
}

/**
 * The one place that decides what the browser may see. A direct static token is public by
 * nature (the browser sends it); a proxy API's base URL and token are private and the browser
 * only learns the proxy route. Every key is pre-seeded so `NUXT_PUBLIC_CMS_AUTH_APIS_*` env
 * variables can override it on a built server.
 */
export function splitRuntimeConfig(apis: ResolvedApi[], options: { storageTimeout?: number, proxyPrefix?: string } = {}): CmsAuthRuntimeConfig {
  const publicApis: Record<string, PublicApiConfig> = {}
  const privateApis: Record<string, PrivateApiConfig> = {}
  for (const api of apis) {
    if (api.proxy) {
      // The browser (and SSR, in-process) calls the proxy route and attaches nothing itself.
      publicApis[api.name] = { mode: api.mode, baseURL: api.proxy.route, auth: 'none', credential: api.credential }
      // A server-held session: the browser only learns where to log in and out.
      if (api.proxy.sessionRoute)
        publicApis[api.name]!.session = { route: api.proxy.sessionRoute, loginRoute: api.dynamic?.loginRoute ?? api.cookie?.loginRoute ?? '/login' }
      privateApis[api.name] = { baseURL: api.baseURL, token: api.token, proxy: runtimeChecksOf(api.proxy) }
      addPreview(api, publicApis, privateApis)
      continue
    }
    publicApis[api.name] = {
      mode: api.mode,
      baseURL: api.baseURL,
      auth: api.auth,
      credential: api.credential,
      ...(Object.keys(api.headers).length ? { headers: api.headers } : {}),
      ...(api.auth === 'static' || api.loginKey ? { token: api.token } : {}),
      ...(api.loginKey ? { key: api.loginKey } : {}),
      ...(api.dynamic ? { dynamic: publicDynamic(api.dynamic) } : {}),
      // Direct cookie mode: the CMS's cookie names are not secret, and SSR reads them at runtime.
      ...(api.cookie ? { cookie: { endpoints: api.cookieEndpoints as PublicCookieConfig['endpoints'], ...api.cookie } } : {}),
    }
    addPreview(api, publicApis, privateApis)
  }
  // Any API may take webhooks (a direct one only calls the hook); the secret is the server's alone.
  for (const api of apis.filter(api => api.webhook))
    privateApis[api.name] = { ...privateApis[api.name], webhookSecret: '' }
  // Both kinds of server-held session seal a cookie (dynamic: the session id; cookie: the SSR copy of the CMS's cookies).
  // The preview cookie is sealed with the same password.
  const sealing = apis.some(api => serverHeldModes.includes(api.mode) || api.preview)
  const storageTimeout = options.storageTimeout ?? DEFAULT_STORAGE_TIMEOUT
  const previewRoute = apis.some(api => api.preview) ? `${options.proxyPrefix ?? DEFAULT_PROXY_PREFIX}/_preview` : undefined
  return { public: { apis: publicApis, ...(previewRoute ? { previewRoute } : {}) }, private: { apis: privateApis, storageTimeout, ...(sealing ? { sessionPassword: '' } : {}) } }
}

/**
 * Preview mode: the page learns the proxy route preview requests take (no credential); the
 * server gets the preview token, link secret and drafts' host, pre-seeded for their env variables.
 */
function addPreview(api: ResolvedApi, publicApis: Record<string, PublicApiConfig>, privateApis: Record<string, PrivateApiConfig>): void {
  if (!api.preview)
    return
  const route = api.proxy || api.preview.route!
  publicApis[api.name]!.preview = route.route
  // A direct API's preview-only route applies the same runtime checks as a proxy API's route.
  privateApis[api.name] = { ...privateApis[api.name], ...(api.proxy ? {} : { proxy: runtimeChecksOf(route) }), preview: { token: '', secret: '', baseURL: api.preview.baseURL } }
}

/** A route's checks under their runtime keys, pre-seeded so `NUXT_CMS_AUTH_APIS_<NAME>_PROXY_*` reach them. */
function runtimeChecksOf(proxy: Exclude<ResolvedApi['proxy'], false>): Record<string, unknown> {
  return Object.fromEntries((Object.keys(runtimeCheckKeys) as RuntimeCheckName[]).map(name => [runtimeCheckKeys[name], proxy[name]]))
}

// Endpoints and cookie options only: tokens never go into runtimeConfig.
function publicDynamic({ storageModule: _module, fields: _fields, lifetime: _lifetime, userFields: _userFields, forwardClientAddress: _forward, ...options }: NonNullable<ResolvedApi['dynamic']>): PublicDynamicConfig {
  return options
}

/** The split above, merged under the app's own runtimeConfig (user-set values win). */
export const registerRuntimeConfig: Register = ({ apis, storageTimeout, proxyPrefix }, { nuxt }) => {
  const split = splitRuntimeConfig(apis, { storageTimeout, proxyPrefix })
  nuxt.options.runtimeConfig.public.cmsAuth = defu(nuxt.options.runtimeConfig.public.cmsAuth, split.public)
  nuxt.options.runtimeConfig.cmsAuth = defu(nuxt.options.runtimeConfig.cmsAuth, split.private)
}
