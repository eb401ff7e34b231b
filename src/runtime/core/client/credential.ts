import { withBase } from 'ufo'
import { queryCredentials } from '../features'
import type { CredentialPlacement } from '../presets/define'

// Any origin works here: it only lets relative base URLs (an API served by the app itself) be parsed.
const PLACEHOLDER_ORIGIN = 'http://cms-auth.invalid'

/**
 * Whether `request`, sent by ofetch with `requestBase` as its `baseURL`, lands under the API's
 * `apiBase`. The URL parser resolves `..` and `%2e%2e`, so a relative path cannot climb to a
 * sibling API, and an absolute URL to another host never receives this API's credential.
 */
export function isRequestForApi(request: string, requestBase: string | undefined, apiBase: string): boolean {
  // The same join ofetch performs right after the onRequest hook.
  const target = requestBase ? withBase(request, requestBase) : request
  try {
    const base = new URL(apiBase.replace(/\/*$/, '/'), PLACEHOLDER_ORIGIN)
    const url = new URL(target, PLACEHOLDER_ORIGIN)
    return url.origin === base.origin && `${url.pathname}/`.startsWith(base.pathname)
  }
  catch {
    return false
  }
}

export interface CredentialTarget {
  headers: Headers
  query?: Record<string, unknown>
}

/**
 * Where `token` goes for `placement`: one header (its value with the prefix) or one query
 * parameter. The one rule every client applies: the browser's and SSR's (`attachCredential`), the
 * proxy's static key (proxy-config.ts) and a server-held session's token (session-proxy.ts).
 */
export function credentialFor(placement: CredentialPlacement, token: string): { header: string, value: string } | { query: string, value: string } {
  return queryCredentials && placement.query ? { query: placement.query, value: token } : { header: placement.header!, value: (placement.prefix || '') + token }
}

/** Puts `token` where the CMS expects it on an ofetch request's headers or query. */
export function attachCredential(target: CredentialTarget, placement: CredentialPlacement, token: string): void {
  const placed = credentialFor(placement, token)
  if (!('query' in placed))
    target.headers.set(placed.header, placed.value)
  else if (queryCredentials)
    target.query = { ...target.query, [placed.query]: placed.value }
}
