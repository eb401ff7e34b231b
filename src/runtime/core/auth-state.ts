/** Who is logged in to one API: a member, Kuroco's anonymous token, or nobody. */
export type CmsAuthStatus = 'logged-out' | 'anonymous' | 'logged-in'

/**
 * What the page may know about one API's login, never a token: what `useCmsAuth(name)` shows,
 * what a session route answers, what SSR hands the browser in the payload. One shape for every
 * kind of login (direct dynamic, direct cookie, server-held).
 */
export interface CmsAuthState {
  status: CmsAuthStatus
  user: unknown
  /** When the access token expires (epoch ms, this machine's clock); null for a cookie session or nobody. */
  expiresAt: number | null
  /** Cookie sessions through the proxy: the other APIs on the same upstream, which share the session. */
  shared?: string[]
  /** App side: not asked yet (SSR asks a cookie session only when the page needs it); the first use asks. */
  unknown?: true
}

// Frozen: one object serves every request as "nobody", and Vue leaves a frozen object unproxied.
export const loggedOutState: CmsAuthState = /* @__PURE__ */ Object.freeze({ status: 'logged-out', user: null, expiresAt: null })
