import type { CmsAuthMode, CmsEndpoints, CredentialPlacement, PublicApiConfig, PublicCookieConfig, PublicDynamicConfig } from './core/config-types'
import type { PresetName } from './core/presets/define'
import type { ContentfulOptions } from './core/presets/contentful'
import type { GhostOptions } from './core/presets/ghost'
import type { PayloadOptions } from './core/presets/payload'
import type { PocketBaseOptions } from './core/presets/pocketbase'
import type { StoryblokOptions } from './core/presets/storyblok'
import type { HttpMethod, PermissionRule } from './core/proxy/proxy-permissions'
import type { WebhookScheme } from './core/webhooks'
import type { RateLimit } from './core/proxy/rate-limit'
import type { CmsDynamicOptions } from './dynamic-options'

export { authModes } from './core/config-types'
export type { CmsAuthMode, CmsEndpoints, CredentialPlacement, HttpMethod, PermissionRule, PresetName, PublicApiConfig, PublicCookieConfig, PublicDynamicConfig, RateLimit, WebhookScheme }
export type { CmsDynamicOptions, CmsTokenCookieOptions, GenericTokenFields } from './dynamic-options'
export type { ContentfulOptions, GhostOptions, PayloadOptions, PocketBaseOptions, StoryblokOptions }

// #region api-options
/** One entry of `cmsAuth.apis`. */
export interface CmsApiOptions {
  /** Wire protocol of the CMS. @default 'generic' */
  preset?: PresetName
  /** Where the API lives: an absolute http(s) URL, or a path served by this app (`/mock-cms/...`). */
  baseURL: string
  /** What the CMS wants from each request. @default 'none' */
  auth?: CmsAuthMode
  /**
   * Call the CMS through this app's server (`<proxyPrefix>/<name>/…`) so secrets stay there;
   * `true` or the proxy's options. @default false
   */
  proxy?: boolean | CmsProxyOptions
  /**
   * Static token / API key (`auth: 'static'`). For a direct API it is sent by the browser, so it
   * must be a read-only key; overridable at runtime with `NUXT_PUBLIC_CMS_AUTH_APIS_<NAME>_TOKEN`.
   * Supabase with `auth: 'dynamic'`: the project's publishable key, sent beside the user's token.
   */
  token?: string
  /**
   * The token is only given to the built server at runtime (by its env variable), so an empty
   * `token` at build time is expected rather than an error.
   */
  tokenFromEnv?: boolean
  /** Override the preset's credential placement: `{ header, prefix? }` or `{ query }`. */
  credential?: Partial<{ header: string, prefix: string, query: string }>
  /** Extra non-secret headers for every request to this API (e.g. NocoBase `X-Authenticator`). */
  headers?: Record<string, string>
  /** Endpoint paths for login flows (dynamic and cookie modes). */
  endpoints?: CmsEndpoints
  /** `auth: 'dynamic'`: token storage, cookie, refresh margin, login route. */
  dynamic?: CmsDynamicOptions
  /** `auth: 'cookie'`: which CMS cookies SSR may forward (direct mode), login route. */
  cookie?: CmsCookieOptions
  /** `preset: 'payload'`: the auth collection (`{ collection: 'admins' }`). */
  payload?: PayloadOptions
  /** `preset: 'pocketbase'`: the auth collection (`{ collection: '_superusers' }`, server only). */
  pocketbase?: PocketBaseOptions
  /** `preset: 'storyblok'`: which API (`{ api: 'management' }`, server only). */
  storyblok?: StoryblokOptions
  /** `preset: 'contentful'`: which API (`{ api: 'management' }`, server only). */
  contentful?: ContentfulOptions
  /** `preset: 'ghost'`: which API (`{ api: 'admin' }`, server only: the key signs a token per request). */
  ghost?: GhostOptions
  /**
   * Preview mode (docs/guide/preview.md): editors who enter through a verified link see drafts,
   * fetched through the server with the preview credential (`NUXT_CMS_AUTH_APIS_<NAME>_PREVIEW_TOKEN`,
   * never in the browser). `true` or the preview's options. @default false
   */
  preview?: boolean | CmsPreviewOptions
  /**
   * A route the CMS calls when content changes (`<proxyPrefix>/_webhook/<name>`): verified with
   * the secret, it purges this API's cached responses and calls the `cms-auth:webhook` Nitro hook
   * (docs/guide/caching.md). `true` or its options. @default false
   */
  webhook?: boolean | CmsWebhookOptions
}
// #endregion api-options

// #region cookie-options
/** `cmsAuth.apis.<name>.cookie`: options of an `auth: 'cookie'` API (docs/modes/direct-cookie.md). */
export interface CmsCookieOptions {
  /**
   * Direct mode: the CMS's session cookie names. During SSR only these of the page request's
   * cookies go to the CMS, and only these of its `Set-Cookie` reach the page response. Empty: SSR
   * sends the CMS no cookie and cannot tell who is logged in; the browser asks the CMS at start.
   * Not with proxy (the proxy carries the CMS's cookies itself). @default []
   */
  names?: string[]
  /** Where the `cms-auth` middleware sends visitors who are not logged in. @default '/login' */
  loginRoute?: string
  /** With proxy: the user fields the page gets from `endpoints.user`; secret-like fields never. @default all others */
  userFields?: string[]
  /** With proxy: send the CMS the visitor's address as `X-Forwarded-For` on login. @default false */
  forwardClientAddress?: boolean
}
// #endregion cookie-options

// #region preview-options
/**
 * `cmsAuth.apis.<name>.preview`. The credential and the link secret are server-only runtimeConfig:
 * `runtimeConfig.cmsAuth.apis.<name>.preview.token` (`NUXT_CMS_AUTH_APIS_<NAME>_PREVIEW_TOKEN`) and
 * `.secret` (`NUXT_CMS_AUTH_APIS_<NAME>_PREVIEW_SECRET`).
 */
export interface CmsPreviewOptions {
  /** Query parameters every preview request gets, beside the preset's (`{ stage: 'DRAFT' }`). */
  query?: Record<string, string>
  /** Headers every preview request gets, beside the preset's (not secrets: those go in the token). */
  headers?: Record<string, string>
  /**
   * Where drafts are served, when not at `baseURL` (Contentful's preview host is derived from
   * `cdn.contentful.com`). Overridable with `NUXT_CMS_AUTH_APIS_<NAME>_PREVIEW_BASE_URL`.
   */
  baseURL?: string
  /** Seconds a preview lasts after entering (the sealed cookie's lifetime). @default 3600 */
  maxAge?: number
}
// #endregion preview-options

// #region proxy-options
/** What the proxy route of one API lets through (see docs/modes/proxy.md). */
export interface CmsProxyOptions {
  /** Methods allowed on paths no rule matches; GET allows HEAD. @default ['GET'] */
  methods?: HttpMethod[]
  /**
   * Per-path overrides, first match wins: `[{ path: '/inquiries', methods: ['GET', 'POST'] }]`;
   * a rule's `cache` replaces `proxy.cache` on its paths (`false` turns it off there).
   */
  rules?: Array<PermissionRule & { cache?: boolean | CmsProxyCacheOptions }>
  /** Client addresses allowed to use the proxy: `192.0.2.1`, `192.0.2.0/24`, `192.0.2.1-192.0.2.9`, IPv6 too. @default all */
  allowedIPs?: string[]
  /** Proxies in front of this server whose `X-Forwarded-For` is believed. @default none */
  trustedProxies?: string[]
  /**
   * A header your host sets to the visitor's address (`cf-connecting-ip`, `x-nf-client-connection-ip`,
   * `fly-client-ip`, `x-real-ip`…). Needed by `allowedIPs` and `rateLimit` on deployments that hand
   * requests in without a socket (Bun, Deno, Netlify, Vercel, Cloudflare…); on a Node server it is
   * believed only from `trustedProxies`. @default none
   */
  clientAddressHeader?: string
  /** Requests per client (address, or session with `by: 'session'`) per window (seconds), counted in Nitro storage. @default false */
  rateLimit?: false | RateLimit
  /** Largest request body in bytes, counted on the stream. @default 1048576 */
  maxBodySize?: number
  /** Refuse requests a browser sends on behalf of another site (`Sec-Fetch-Site` / `Origin`). @default true */
  sameOrigin?: boolean
  /** Milliseconds to wait for the CMS's response headers before answering 504. @default 15000 */
  timeout?: number
  /** Extra request headers to pass through (e.g. `x-locale`); credential headers are refused. */
  forwardHeaders?: string[]
  /** Extra CMS response headers the browser gets (e.g. `x-request-id`, `x-total-count`); credentials and cookies are refused. */
  responseHeaders?: string[]
  /**
   * Share GET/HEAD responses between visitors, in Nitro storage (`cmsAuth.storage`): `true` or
   * its options. Only for `auth: 'none'` or `'static'`, whose answers do not depend on who asks
   * (docs/guide/caching.md). @default false
   */
  cache?: boolean | CmsProxyCacheOptions
}
// #endregion proxy-options

// #region cache-options
/** `proxy.cache` (and a rule's `cache`): how long a CMS response is shared. */
export interface CmsProxyCacheOptions {
  /** Seconds a response is served without asking the CMS; the CMS's `s-maxage`/`max-age` may shorten it. @default 60 */
  maxAge?: number
  /** Seconds after that a stale response is still served once while one background request refreshes it. @default 0 */
  staleWhileRevalidate?: number
  /** Largest body in bytes that is stored; a larger one (sized, or chunked and growing past it) streams through uncached. @default 1048576 */
  maxEntrySize?: number
}
// #endregion cache-options

// #region webhook-options
/**
 * `cmsAuth.apis.<name>.webhook`: how the CMS's change notifications are verified. The secret (a
 * signing secret, or the shared secret's value) is no option: it is set on the server, as
 * `NUXT_CMS_AUTH_APIS_<NAME>_WEBHOOK_SECRET` (runtimeConfig.cmsAuth.apis.<name>.webhookSecret).
 */
export interface CmsWebhookOptions {
  /**
   * How the CMS signs: `microcms` (X-MICROCMS-Signature), `contentful` (request verification),
   * `storyblok` (webhook-signature), `hygraph` (gcms-signature), or `shared-secret` (a header
   * holding the secret, for CMSs that do not sign: Directus, Strapi, Kuroco…).
   * @default the preset's scheme, else 'shared-secret'
   */
  scheme?: WebhookScheme
  /** `shared-secret`: the header the CMS sends the secret in. @default 'x-webhook-secret' */
  header?: string
  /** Largest request body in bytes; larger is refused with 413. @default 1048576 */
  maxBodySize?: number
  /** Seconds a signed timestamp may be off (Contentful, Hygraph): the replay window. @default 300 */
  tolerance?: number
}
// #endregion webhook-options

/** A proxy API's checks after build-time validation and defaults (what the route enforces). */
export interface ProxyChecks {
  methods: HttpMethod[]
  rules: PermissionRule[]
  allowedIPs: string[]
  trustedProxies: string[]
  clientAddressHeader: string
  rateLimit: false | RateLimit
  maxBodySize: number
  sameOrigin: boolean
  timeout: number
  forwardHeaders: string[]
  responseHeaders: string[]
}

// #region module-options
export interface ModuleOptions {
  apis: Record<string, CmsApiOptions>
  /** Where proxy routes live: `<proxyPrefix>/<api name>/<path>`. @default '/api/_cms' */
  proxyPrefix?: string
  /** Nitro storage mount for state shared between server instances (session records, refresh locks, rate-limit counters). @default 'cms-auth' */
  storage?: string
  /**
   * Milliseconds every call to that storage may take before the request fails with a 503 naming
   * the mount (`NUXT_CMS_AUTH_STORAGE_TIMEOUT` at runtime). @default 2000
   */
  storageTimeout?: number
}
// #endregion module-options

/**
 * Filled by the generated `types/cms-auth.d.ts` with the configured API names, so composables
 * reject names that are not in `cmsAuth.apis`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CmsApiRegistry {}

export type CmsApiName = [keyof CmsApiRegistry] extends [never] ? string : keyof CmsApiRegistry & string
