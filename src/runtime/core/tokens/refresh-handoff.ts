import type { TokenSet } from './tokens'

/** Runs `refresh` for `refreshToken`, or hands over the result of a run for that token already made. */
export type RefreshHandoff = (refreshToken: string, refresh: (refreshToken: string) => Promise<TokenSet>) => Promise<TokenSet>

/**
 * Refreshes keyed by the refresh token spent: a second caller holding the same (rotating,
 * single-use) refresh token joins the running refresh, or takes its result for `keepMs` after it,
 * instead of spending the token again and being refused. Only the holder of a refresh token can
 * present it, so a result only ever goes to whoever already held that session. A failed refresh
 * is not kept: the next caller tries for itself. A kept result whose access token has expired
 * meanwhile (a cookie replayed late) is not handed over as is: the caller follows the rotation
 * and refreshes with the refresh token that result carries, through the handoff again.
 */
export function createRefreshHandoff(options: { keepMs: number, maxEntries?: number, now?: () => number }): RefreshHandoff {
  const now = options.now ?? Date.now
  const maxEntries = options.maxEntries ?? 10_000
  const runs = new Map<string, { result: Promise<TokenSet>, until: number }>()
  const handoff: RefreshHandoff = async (refreshToken, refresh) => {
    const known = runs.get(refreshToken)
    if (known && known.until > now()) {
      const tokens = await known.result
      if (tokens.expiresAt === undefined || tokens.expiresAt > now())
        return tokens
      if (tokens.refreshToken && tokens.refreshToken !== refreshToken)
        return handoff(tokens.refreshToken, refresh)
    }
    if (runs.size >= maxEntries) {
      for (const [token, run] of runs) {
        if (run.until <= now())
          runs.delete(token)
      }
      // Still full: drop the oldest; a late caller then refreshes for itself, as without a handoff.
      if (runs.size >= maxEntries)
        runs.delete(runs.keys().next().value!)
    }
    const result = refresh(refreshToken)
    // Kept while running; `keepMs` more once it has succeeded.
    runs.set(refreshToken, { result, until: Infinity })
    result.then(
      () => runs.set(refreshToken, { result, until: now() + options.keepMs }),
      () => runs.delete(refreshToken),
    )
    return result
  }
  return handoff
}
