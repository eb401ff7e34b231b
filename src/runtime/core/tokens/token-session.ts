import { refreshHandoff, renewedTokens, selfRenewal } from '../features'
import { jwtExpiry } from './expiry'
import type { RefreshHandoff } from './refresh-handoff'
import { createSingleFlight } from './single-flight'
import type { TokenFlowContext } from './token-flows'
import { requestLogin, requestLogout, requestRefresh } from './token-flows'
import { authError } from './tokens'
import type { CmsAuthError, TokenSet, Verdict } from './tokens'

/** Where a session's tokens live (a cookie, memory, …); read on every use, so other tabs' writes count. */
export interface TokenStorage {
  read: () => TokenSet | null | undefined
  write: (tokens: TokenSet | null) => void
}

/** Mutual exclusion wider than this session object: other tabs (Web Locks), other instances. */
export type RefreshLock = <T>(task: () => Promise<T>) => Promise<T>

export type SessionEvent
  = | { type: 'login', tokens: TokenSet, user?: unknown }
    | { type: 'refresh', tokens: TokenSet }
    | { type: 'logout', reason: 'user' | 'rejected', error?: CmsAuthError }
    | { type: 'error', error: CmsAuthError }

export interface TokenSessionOptions extends TokenFlowContext {
  storage: TokenStorage
  /** Refresh this long before the access token expires (capped at half its lifetime). */
  marginMs: number
  lock?: RefreshLock
  /** SSR: refreshes shared between requests that carry the same refresh token (refresh-handoff.ts). */
  handoff?: RefreshHandoff
  onEvent?: (event: SessionEvent) => void
}

export type TokenSession = ReturnType<typeof createTokenSession>

/**
 * The dynamic-token state machine, framework-free: login, logout, a single-flight refresh
 * (before expiry, or after an "expired" answer) and authorised calls replayed at most once.
 */
export function createTokenSession(options: TokenSessionOptions) {
  const { storage, lock = task => task(), onEvent = () => {} } = options
  const now = options.now ?? Date.now

  const isFresh = (tokens: TokenSet) => {
    if (tokens.expiresAt === undefined)
      return true
    const lifetime = tokens.issuedAt === undefined ? Infinity : tokens.expiresAt - tokens.issuedAt
    return tokens.expiresAt - Math.min(options.marginMs, lifetime / 2) > now()
  }
  // Payload and PocketBase renew with the access token itself (token-flows.ts decides whether it still can).
  const canRenew = (tokens: TokenSet) => !!(tokens.anonymous || tokens.refreshToken || (selfRenewal && options.protocol.refreshWith))

  const end = (reason: 'user' | 'rejected', error?: CmsAuthError) => {
    storage.write(null)
    onEvent({ type: 'logout', reason, error })
  }

  // `stale` is the token the first caller saw; whoever joins the flight shares its result.
  const refreshFlight = createSingleFlight((stale: string | undefined) => lock(async () => {
    const current = storage.read()
    if (!current)
      throw authError('rejected', 'not logged in')
    // Another tab (or an earlier flight) refreshed while we waited for the lock: use its tokens.
    if (current.accessToken !== stale && isFresh(current))
      return current
    try {
      const { refreshToken } = current
      const next = await (refreshHandoff && refreshToken && options.handoff ? options.handoff(refreshToken, token => requestRefresh(options, { ...current, refreshToken: token })) : requestRefresh(options, current))
      storage.write(next)
      onEvent({ type: 'refresh', tokens: next })
      return next
    }
    catch (error) {
      const failure = error as CmsAuthError
      if (failure.reason === 'rejected')
        end('rejected', failure)
      else
        onEvent({ type: 'error', error: failure })
      throw failure
    }
  }))

  /** The access token to send now, refreshed first when it is about to expire. */
  async function accessToken(): Promise<string | undefined> {
    const tokens = storage.read()
    if (!tokens)
      return undefined
    if (isFresh(tokens) || !canRenew(tokens))
      return tokens.accessToken
    return (await refreshFlight(tokens.accessToken)).accessToken
  }

  /**
   * Runs `request` with the access token; when the CMS answers "expired" (per `verdictOf`),
   * refreshes once and replays once. A second "expired" is returned to the caller as is.
   */
  async function call<T>(request: (token: string | undefined) => Promise<T>, verdictOf: (error: unknown) => Verdict | undefined): Promise<T> {
    const token = await accessToken()
    try {
      return await request(token)
    }
    catch (error) {
      if (!token || verdictOf(error) !== 'expired')
        throw error
      const next = await refreshFlight(token).catch(() => {
        throw error
      })
      return request(next.accessToken)
    }
  }

  return {
    accessToken,
    call,
    /** Refreshes now, whatever the expiry says (still single-flight). */
    refresh: () => refreshFlight(storage.read()?.accessToken),
    async login(credentials?: Record<string, unknown>) {
      const result = await requestLogin(options, credentials)
      storage.write(result.tokens)
      onEvent({ type: 'login', ...result })
      return result
    },
    /**
     * Ends the session here and at the CMS. A stale access token is refreshed first: a CMS that
     * wants a valid bearer at logout (Strapi, Directus) would refuse it and keep the session alive.
     */
    async logout() {
      const before = storage.read()
      const tokens = before && !isFresh(before) && canRenew(before) ? await refreshFlight(before.accessToken).catch(() => storage.read()) : before
      // A refused refresh has ended the session already.
      if (tokens || !before)
        end('user')
      if (tokens)
        await requestLogout(options, tokens)
    },
    /** NocoBase-style renewal: a response handed over a replacement token. */
    renew(token: string) {
      // A browser build without such a CMS leaves the rest out (core/features.ts).
      const tokens = renewedTokens && storage.read()
      if (!tokens || tokens.accessToken === token)
        return
      const next = { ...tokens, accessToken: token, expiresAt: jwtExpiry(token), issuedAt: now() }
      storage.write(next)
      onEvent({ type: 'refresh', tokens: next })
    },
  }
}
