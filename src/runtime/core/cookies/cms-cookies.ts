import { HTTP_TOKEN } from '../validate'
/**
 * Cookie mode through the proxy: the CMS's session cookies live in the browser as first-party
 * cookies of the app, renamed under a prefix that names the CMS's origin. APIs on one upstream
 * origin share the prefix, so they share the CMS session (Kuroco's rule); APIs on another
 * origin never see those cookies, and no cookie of the app itself ever goes to the CMS.
 *
 * A page request does not carry cookies scoped to the proxy path, so SSR reads a second cookie:
 * one sealed copy of the same jar at the app's path. Code and logs that see page requests see
 * only that sealed value, never a CMS session cookie.
 */

/** Where and how the app keeps one upstream's cookies. */
export interface CmsCookieScope {
  /** Added before the CMS's cookie name: `cms_<origin hash>_`. */
  prefix: string
  /** The proxy prefix (`/api/_cms`): the browser sends them to the proxy and session routes only. */
  path: string
  /** The app's base path: where the sealed copy for SSR lives, so page requests carry it. */
  pagePath: string
}

/** `cms_<8 hex>_` from a hash of the upstream origin (`self` for a base URL this app serves). */
export function cookiePrefixFor(originHash: string): string {
  return `cms_${originHash.slice(0, 8)}_`
}

/**
 * The `Cookie` header for the CMS: only the cookies under `scope.prefix`, with the prefix taken
 * off; undefined when there are none.
 */
export function selectCmsCookies(cookieHeader: string | undefined, scope: Pick<CmsCookieScope, 'prefix'>): string | undefined {
  if (!cookieHeader)
    return undefined
  const picked: string[] = []
  for (const pair of cookieHeader.split(';')) {
    const trimmed = pair.trim()
    const name = trimmed.slice(0, trimmed.indexOf('='))
    if (trimmed.includes('=') && name.startsWith(scope.prefix) && name.length > scope.prefix.length)
      picked.push(trimmed.slice(scope.prefix.length))
  }
  return picked.length ? picked.join('; ') : undefined
}

/** The names (with the prefix) of the CMS cookies a request carries: what logout clears. */
export function cmsCookieNames(cookieHeader: string | undefined, scope: Pick<CmsCookieScope, 'prefix'>): string[] {
  return (selectCmsCookies(cookieHeader, scope) ?? '').split('; ').filter(Boolean).map(pair => scope.prefix + pair.slice(0, pair.indexOf('=')))
}

// RFC 6265 cookie-name (an RFC 9110 token).
const KEPT_ATTRIBUTES = new Set(['expires', 'max-age'])

/**
 * One upstream `Set-Cookie` as a first-party cookie of the app: renamed under the prefix,
 * `Domain` (and `Partitioned`) dropped, `Path` the proxy prefix, `Secure` when the browser's
 * request was https, always `HttpOnly` (page scripts have no use for a CMS credential),
 * `SameSite` kept when Strict, otherwise Lax (first-party needs no None). Expiry is kept.
 * Undefined for a header that is not a cookie.
 */
export function rewriteSetCookie(header: string, scope: CmsCookieScope, secure: boolean): string | undefined {
  const [pair = '', ...attributes] = header.split(';')
  const separator = pair.indexOf('=')
  const name = pair.slice(0, separator).trim()
  if (separator < 1 || !HTTP_TOKEN.test(name))
    return undefined
  const kept: string[] = []
  let sameSite = 'Lax'
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.trim().split('=')
    const lower = key.toLowerCase()
    if (KEPT_ATTRIBUTES.has(lower))
      kept.push(`${key}=${rest.join('=')}`)
    else if (lower === 'samesite' && rest.join('=').trim().toLowerCase() === 'strict')
      sameSite = 'Strict'
  }
  return [`${scope.prefix}${name}=${pair.slice(separator + 1).trim()}`, `Path=${scope.path}`, ...kept, 'HttpOnly', `SameSite=${sameSite}`, ...(secure ? ['Secure'] : [])].join('; ')
}

/** A `Set-Cookie` that removes one of the app's CMS cookies. */
export function clearCmsCookie(name: string, scope: CmsCookieScope, secure: boolean): string {
  return [`${name}=`, `Path=${scope.path}`, 'Max-Age=0', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ')
}

/**
 * The CMS's cookies as the server keeps them between requests (in the sealed SSR copy): each
 * value with its expiry in ms since the epoch, none for a cookie that lasts until the browser closes.
 */
export type CmsCookieJar = Record<string, { value: string, expires?: number }>

/** The sealed copy of one upstream's cookies that page requests carry (`cms_<h>.ssr`, app path). */
export function ssrCookieName(scope: Pick<CmsCookieScope, 'prefix'>): string {
  return `${scope.prefix.slice(0, -1)}.ssr`
}

/**
 * The jar for a request. Cookies under the proxy path (`selected`, prefix removed) are what the
 * browser holds now, so they win: values from them, expiries from the sealed copy. A page
 * request carries none, and the sealed copy stands in, less what has expired since.
 */
export function jarFromRequest(selected: string | undefined, sealed: CmsCookieJar | undefined, now: number): CmsCookieJar {
  const jar: CmsCookieJar = {}
  if (selected === undefined) {
    for (const name in sealed) {
      const cookie = sealed[name]!
      if (cookie.expires === undefined || cookie.expires > now)
        jar[name] = cookie
    }
    return jar
  }
  for (const pair of selected.split('; ')) {
    const name = pair.slice(0, pair.indexOf('='))
    jar[name] = { value: pair.slice(name.length + 1), ...(sealed?.[name]?.expires === undefined ? {} : { expires: sealed[name]!.expires }) }
  }
  return jar
}

/**
 * The jar after the CMS answered `setCookies`: new values replace old ones with their expiry
 * (`Max-Age` over `Expires`, as browsers do); cleared and already expired cookies go.
 */
export function applySetCookies(jar: CmsCookieJar, setCookies: string[], now: number): CmsCookieJar {
  const next = new Map(Object.entries(jar))
  for (const header of setCookies) {
    const [pair = '', ...attributes] = header.split(';')
    const separator = pair.indexOf('=')
    const name = pair.slice(0, separator).trim()
    if (separator < 1 || !HTTP_TOKEN.test(name))
      continue
    const value = pair.slice(separator + 1).trim()
    const expires = expiryOf(attributes, now)
    if (!value || (expires !== undefined && expires <= now))
      next.delete(name)
    else
      next.set(name, { value, ...(expires === undefined ? {} : { expires }) })
  }
  return Object.fromEntries(next)
}

function expiryOf(attributes: string[], now: number): number | undefined {
  let expires: number | undefined
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=')
    const lower = key.trim().toLowerCase()
    const value = rest.join('=').trim()
    if (lower === 'max-age' && /^-?\d+$/.test(value))
      return now + Number(value) * 1000
    if (lower === 'expires' && !Number.isNaN(Date.parse(value)))
      expires = Date.parse(value)
  }
  return expires
}

/** The `Cookie` header for the CMS from a jar (expired cookies left out); undefined when empty. */
export function jarCookieHeader(jar: CmsCookieJar, now: number): string | undefined {
  const pairs = Object.entries(jar).filter(([, cookie]) => cookie.expires === undefined || cookie.expires > now).map(([name, cookie]) => `${name}=${cookie.value}`)
  return pairs.length ? pairs.join('; ') : undefined
}

/**
 * How long the sealed copy should live, in seconds: as long as its longest-lived cookie;
 * undefined (until the browser closes) when every cookie is a session cookie.
 */
export function jarMaxAge(jar: CmsCookieJar, now: number): number | undefined {
  const expiries = Object.values(jar).map(cookie => cookie.expires).filter(expires => expires !== undefined)
  return expiries.length ? Math.max(0, Math.ceil((Math.max(...expiries) - now) / 1000)) : undefined
}

/** Whether two jars would send the CMS the same cookies with the same expiries. */
export function sameJar(a: CmsCookieJar, b: CmsCookieJar): boolean {
  const names = Object.keys(a)
  return names.length === Object.keys(b).length && names.every(name => b[name]?.value === a[name]!.value && b[name]?.expires === a[name]!.expires)
}
