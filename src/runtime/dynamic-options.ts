import type { GenericTokenFields } from './core/presets/generic'

export type { GenericTokenFields }

// #region token-cookie-options
/** The token cookie (direct dynamic mode): JavaScript must read it, so it is not httpOnly. */
export interface CmsTokenCookieOptions {
  /** @default 'cms_auth_<api name>' */
  name?: string
  domain?: string
  /** @default '/' */
  path?: string
  /**
   * Seconds. @default until the refresh token expires, else a session cookie; with proxy, the
   * session's lifetime: the refresh token's expiry (the CMS's answer, or its JWT `exp`), else the
   * preset's default (Directus, Strapi, NocoBase: 7 days), else a browser-session cookie
   */
  maxAge?: number
  /** @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none'
  /** @default true on https pages */
  secure?: boolean
}
// #endregion token-cookie-options

// #region dynamic-options
/** `cmsAuth.apis.<name>.dynamic`: options of an `auth: 'dynamic'` API (docs/modes/direct-dynamic.md). */
export interface CmsDynamicOptions {
  /**
   * Where tokens live in the browser: `'cookie'` (SSR renders logged-in pages, tabs share it),
   * `'memory'` (per tab, gone on reload), or a path to a module whose default export creates a
   * `TokenStorage` (`(context) => ({ read, write })`). @default 'cookie'
   */
  storage?: 'cookie' | 'memory' | (string & {})
  cookie?: CmsTokenCookieOptions
  /** Refresh this many seconds before the access token expires (at most half its lifetime). @default 30 */
  refreshMargin?: number
  /** Where the `cms-auth` middleware sends visitors who are not logged in. @default '/login' */
  loginRoute?: string
  /** Fetch the user from `endpoints.user` after login and on SSR when it is unknown. @default true */
  fetchUser?: boolean
  /** `preset: 'generic'` only: JSON pointers into the login/refresh responses. */
  fields?: GenericTokenFields
  /**
   * With proxy: the user fields the session keeps and the page gets; secret-like fields
   * (passwords, hashes, tokens, keys, secrets) never. @default the preset's (Directus: id, email,
   * first_name, last_name, role, …), or every field but secret-like ones
   */
  userFields?: string[]
  /**
   * With proxy: send the CMS the visitor's address as `X-Forwarded-For` on login and refresh, so
   * its per-address login limit counts visitors rather than this server. The CMS must trust this
   * server as a proxy (docs/modes/server-session.md). @default false
   */
  forwardClientAddress?: boolean
}
// #endregion dynamic-options

export type { PublicDynamicConfig } from './core/config-types'
