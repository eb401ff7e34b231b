/**
 * Direct cookie mode during SSR: which of the page request's cookies go to the CMS, and which of
 * the CMS's `Set-Cookie` come back on the page response. Both are an allow-list of the CMS's
 * cookie names; the module's own cookies never pass, whatever the list says.
 */

// `cms_auth_*` (token cookies, sealed sessions), `cms_<8 hex>_*` and `cms_<8 hex>.*` (cookie mode through the proxy).
const OWN_COOKIE = /^cms_auth_|^cms_[0-9a-f]{8}[_.]/

/** A cookie of nuxt-cms-auth itself (by its default names): never sent to a CMS. */
export function isOwnCookie(name: string): boolean {
  return OWN_COOKIE.test(name)
}

// The name of `name=value` (a pair in `Cookie`, or the start of a `Set-Cookie`); '' when there is no `=`.
const nameOf = (pair: string) => pair.includes('=') ? pair.slice(0, pair.indexOf('=')).trim() : ''
const passes = (pair: string, names: readonly string[]) => names.includes(nameOf(pair)) && !isOwnCookie(nameOf(pair))

/** The `Cookie` header for the CMS: the pairs named in `names`, in their order; undefined when none. */
export function pickCookies(cookieHeader: string | undefined, names: readonly string[]): string | undefined {
  const picked = (cookieHeader ?? '').split(';').map(pair => pair.trim()).filter(pair => passes(pair, names))
  return picked.length ? picked.join('; ') : undefined
}

/** The CMS's `Set-Cookie` headers for cookies named in `names`, unchanged (the CMS's Domain, Path, expiry). */
export function pickSetCookies(setCookies: readonly string[], names: readonly string[]): string[] {
  return setCookies.filter(header => passes(header, names))
}
