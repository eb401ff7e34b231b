import { jwtExpiry } from '../tokens/expiry'
import type { TokenSet } from '../tokens/tokens'

/**
 * What the sealed session cookie holds: which session, nothing else. The tokens and the user live
 * in the session record in Nitro storage, so ending the record ends every copy of the cookie.
 */
export interface SessionCookie {
  id: string
  createdAt: number
}

/** A live server-held session, under `session:<api>:<id>` in the `cmsAuth.storage` mount. */
export interface SessionRecord {
  tokens: TokenSet
  user?: unknown
}

export const sessionRecordKey = (api: string, id: string): string => `session:${api}:${id}`

/** How long a record lives when nothing says how long the session does: one day after its last write. */
export const UNKNOWN_LIFETIME_SECONDS = 86_400

export const MIN_SESSION_PASSWORD = 32

/** `cmsAuth.storageTimeout` when not set: how long one storage call may take, ms. */
export const DEFAULT_STORAGE_TIMEOUT = 2000

/** Why a session password cannot seal sessions, or undefined when it can. */
export function sessionPasswordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || !password)
    return `NUXT_CMS_AUTH_SESSION_PASSWORD is not set: server-held sessions need a secret of at least ${MIN_SESSION_PASSWORD} characters to seal their cookie (e.g. openssl rand -base64 32)`
  if (password.length < MIN_SESSION_PASSWORD)
    return `NUXT_CMS_AUTH_SESSION_PASSWORD has ${password.length} characters; it needs at least ${MIN_SESSION_PASSWORD} (e.g. openssl rand -base64 32)`
  return undefined
}

/** Where a session's lifetime comes from, first match wins (docs/modes/server-session.md: "Session lifetime"). */
export interface LifetimeSources {
  /** `dynamic.cookie.maxAge`, seconds. */
  maxAge?: number
  /** The preset's default: the CMS's documented refresh-token lifetime (Directus 7 days). */
  presetDefault?: number
}

/**
 * Seconds the session lives from `now`: `dynamic.cookie.maxAge`, else the refresh token's expiry
 * (from the CMS's answer, or the token's own JWT `exp`), else the preset's default; undefined
 * when nothing says (a browser-session cookie).
 */
export function sessionLifetime(tokens: TokenSet, sources: LifetimeSources, now: number): number | undefined {
  if (sources.maxAge)
    return sources.maxAge
  const refreshExpiresAt = tokens.refreshExpiresAt ?? jwtExpiry(tokens.refreshToken, { now })
  if (refreshExpiresAt !== undefined)
    return Math.max(0, Math.floor((refreshExpiresAt - now) / 1000))
  return sources.presetDefault
}

/** Whether `candidate` was issued after `current` (another request or instance refreshed). */
export function isNewerTokenSet(candidate: TokenSet | null | undefined, current: TokenSet | null | undefined): candidate is TokenSet {
  if (!candidate)
    return false
  if (!current)
    return false
  return candidate.accessToken !== current.accessToken && (candidate.issuedAt ?? 0) > (current.issuedAt ?? 0)
}
