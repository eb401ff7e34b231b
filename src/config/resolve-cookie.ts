import { isOwnCookie } from '../runtime/core/cookies/forwarded-cookies'
import { presets } from '../runtime/core/presets'
import type { CmsApiOptions, CmsCookieOptions, CmsEndpoints, PresetName } from '../runtime/types'
import { HTTP_TOKEN, knownOptions } from '../runtime/core/validate'
import { configError } from './errors'
import { resolveLoginRoute, serverSessionOptions } from './resolve-dynamic'

/** Where an `auth: 'cookie'` API logs in, out, and asks who is logged in (proxy and direct). */
export interface CookieEndpoints { login: string, logout?: string, user?: string }

/** `cmsAuth.apis.<name>.cookie` after validation and defaults. */
export interface ResolvedCookie {
  /** Direct mode: the CMS cookies SSR forwards (none with proxy). */
  names: string[]
  loginRoute: string
  /** With proxy: the user fields the page gets. */
  userFields?: string[]
  /** With proxy: `X-Forwarded-For` of the visitor on login. */
  forwardClientAddress?: boolean
}

const KNOWN_KEYS: ReadonlyArray<keyof CmsCookieOptions> = ['names', 'loginRoute', 'userFields', 'forwardClientAddress']

/** Validates an `auth: 'cookie'` API's endpoints and `cookie` options; undefined for other modes. */
export function resolveCookieMode(key: string, api: CmsApiOptions, presetEndpoints?: CmsEndpoints): { cookieEndpoints: CookieEndpoints, cookie: ResolvedCookie } | undefined {
  if (api.auth !== 'cookie') {
    if (api.cookie !== undefined)
      throw configError(`${key}.cookie is set but ${key}.auth is "${api.auth ?? 'none'}"; set auth: 'cookie' or remove it.`)
    return undefined
  }
  const options = knownOptions(`${key}.cookie`, api.cookie ?? {}, KNOWN_KEYS, '{ names: [\'session\'] }') as CmsCookieOptions
  const cookieEndpoints = resolveCookieEndpoints(key, api.preset ?? 'generic', api.endpoints, presetEndpoints)
  if (api.proxy && options.names !== undefined)
    throw configError(`${key}.cookie.names does not apply with proxy: the proxy carries the CMS's cookies itself, as cookies of the app (docs/modes/cookie-proxy.md). Remove it.`)
  // The browser cannot read the CMS's (httpOnly) session cookie: only the CMS can say who is logged in.
  if (!api.proxy && !cookieEndpoints.user)
    throw configError(`${key}.endpoints.user is missing: direct auth 'cookie' asks it who is logged in (e.g. endpoints: { login: '/login', user: '/me' }).`)
  // A cookie session has no lifetime of its own: the CMS's cookies carry theirs.
  const { lifetime: _lifetime, ...server } = serverSessionOptions(`${key}.cookie`, api.preset ?? 'generic', Boolean(api.proxy), options)
  return {
    cookieEndpoints,
    cookie: { names: resolveNames(`${key}.cookie.names`, options.names), loginRoute: resolveLoginRoute(`${key}.cookie.loginRoute`, options.loginRoute), ...server },
  }
}

function resolveCookieEndpoints(key: string, preset: PresetName, endpoints: CmsApiOptions['endpoints'], presetEndpoints?: CmsEndpoints): CookieEndpoints {
  const { login, logout, user } = { ...presets[preset].dynamic?.endpoints, ...presetEndpoints, ...endpoints }
  for (const [endpoint, path] of Object.entries({ login, logout, user })) {
    if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/')))
      throw configError(`${key}.endpoints.${endpoint} must be a path under baseURL starting with "/"; got ${JSON.stringify(path)}.`)
  }
  if (!login)
    throw configError(`${key}.endpoints.login is missing: auth 'cookie' logs in by posting the credentials there (e.g. endpoints: { login: '/login', logout: '/logout', user: '/me' }).`)
  return { login, ...(logout ? { logout } : {}), ...(user ? { user } : {}) }
}

function resolveNames(key: string, names: unknown): string[] {
  if (names === undefined)
    return []
  if (!Array.isArray(names))
    throw configError(`${key} must be an array of the CMS's cookie names, e.g. ['kuroco_session'].`)
  for (const [index, name] of names.entries()) {
    if (typeof name !== 'string' || !HTTP_TOKEN.test(name))
      throw configError(`${key}[${index}] ${JSON.stringify(name)} is not a valid cookie name.`)
    if (isOwnCookie(name))
      throw ownCookieError(key, name)
  }
  return [...new Set(names as string[])]
}

/** A listed name that is one of the module's cookies (a default name, or another API's `dynamic.cookie.name`). */
export function ownCookieError(key: string, name: string) {
  return configError(`${key} has "${name}", a cookie of nuxt-cms-auth itself (a token, session or proxied cookie): it never goes to the CMS. List only the CMS's own session cookies.`)
}
