import type { TokenSet } from './tokens'

/** What a server-held session keeps: the tokens and the user, or a pointer to Nitro storage. */
export interface SessionData {
  tokens?: TokenSet | null
  user?: unknown
  /** The data did not fit in the cookie and lives in Nitro storage under the session id. */
  stored?: true
}

export const MIN_SESSION_PASSWORD = 32

/**
 * A sealed value this long or shorter stays in the cookie; longer ones go to Nitro storage.
 * 4096 bytes per cookie, minus the name and attributes (Path, Max-Age, SameSite, Secure, HttpOnly).
 */
export const MAX_SEALED_COOKIE = 3800

export function sessionPlacement(sealed: string): 'cookie' | 'storage' {
  return sealed.length <= MAX_SEALED_COOKIE ? 'cookie' : 'storage'
}

/** Why a session password cannot seal sessions, or undefined when it can. */
export function sessionPasswordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || !password)
    return `NUXT_CMS_AUTH_SESSION_PASSWORD is not set: server-held sessions need a secret of at least ${MIN_SESSION_PASSWORD} characters to seal their cookie (e.g. openssl rand -base64 32)`
  if (password.length < MIN_SESSION_PASSWORD)
    return `NUXT_CMS_AUTH_SESSION_PASSWORD has ${password.length} characters; it needs at least ${MIN_SESSION_PASSWORD} (e.g. openssl rand -base64 32)`
  return undefined
}

/** Whether `candidate` was issued after `current` (another request or instance refreshed). */
export function isNewerTokenSet(candidate: TokenSet | null | undefined, current: TokenSet | null | undefined): candidate is TokenSet {
  if (!candidate)
    return false
  if (!current)
    return false
  return candidate.accessToken !== current.accessToken && (candidate.issuedAt ?? 0) > (current.issuedAt ?? 0)
}
