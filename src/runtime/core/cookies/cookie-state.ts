import { loggedOutState } from '../auth-state'
import type { CmsAuthState } from '../auth-state'

export { loggedOutState }
/** The login state of a CMS cookie session (no token, so `expiresAt` is null). */
export type CookieSessionState = CmsAuthState

/**
 * What the CMS's answer to `endpoints.user` says about the session its cookies hold: 2xx is a
 * member (the body, or what the preset's `readUser` takes from it; a reader that finds no user
 * there, as in Payload's `{ user: null }`, says nobody), 401/403 is nobody, anything else says
 * nothing (undefined: the caller reports the CMS's failure). Used by cookie mode through the
 * proxy (on the server) and direct cookie mode (SSR and browser).
 */
export function cookieSessionState(status: number, body: unknown, readUser?: (body: any) => unknown): CmsAuthState | undefined {
  if (status >= 200 && status < 300) {
    const user = readUser ? readUser(body) : body
    return readUser && user == null ? loggedOutState : { status: 'logged-in', user, expiresAt: null }
  }
  if (status === 401 || status === 403)
    return loggedOutState
  return undefined
}
