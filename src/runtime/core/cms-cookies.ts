/**
 * Cookie mode through the proxy: the CMS's session cookies live in the browser as first-party
 * cookies of the app, renamed under a prefix that names the CMS's origin. APIs on one upstream
 * origin share the prefix, so they share the CMS session (Kuroco's rule); APIs on another
 * origin never see those cookies, and no cookie of the app itself ever goes to the CMS.
 */

/** Where and how the app keeps one upstream's cookies. */
export interface CmsCookieScope {
  /** Added before the CMS's cookie name: `cms_<origin hash>_`. */
  prefix: string
  /** The proxy prefix (`/api/_cms`): the browser sends them to the proxy and session routes only. */
  path: string
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
const COOKIE_NAME = /^[!#$%&'*+.^`|~\w-]+$/
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
  if (separator < 1 || !COOKIE_NAME.test(name))
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
 * The `Cookie` header the CMS expects next, after it answered `setCookies` to a request that
 * carried `current`: new values replace old ones, cleared cookies (empty, `Max-Age=0`) go.
 */
export function nextCmsCookies(current: string | undefined, setCookies: string[]): string | undefined {
  const jar = new Map((current ?? '').split('; ').filter(pair => pair.includes('=')).map(pair => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
  for (const header of setCookies) {
    const [pair = '', ...attributes] = header.split(';')
    const separator = pair.indexOf('=')
    if (separator < 1)
      continue
    const name = pair.slice(0, separator).trim()
    const value = pair.slice(separator + 1).trim()
    if (!value || attributes.some(attribute => /^\s*max-age\s*=\s*0\s*$/i.test(attribute)))
      jar.delete(name)
    else
      jar.set(name, value)
  }
  return jar.size ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : undefined
}
