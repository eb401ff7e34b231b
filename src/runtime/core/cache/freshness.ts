/** When an entry was stored and until when it may be served fresh, then stale (epoch ms). */
export interface CacheTimes {
  storedAt: number
  freshUntil: number
  staleUntil: number
  /** The `Age` the CMS (or a CDN in front of it) already gave it, seconds. */
  initialAge: number
}

export type Freshness = 'fresh' | 'stale' | 'expired'

export function freshnessOf(times: CacheTimes, now: number): Freshness {
  if (now < times.freshUntil)
    return 'fresh'
  return now < times.staleUntil ? 'stale' : 'expired'
}

/** The `Age` header of a response served from the cache (RFC 9111 §5.1), whole seconds. */
export function ageOf(times: CacheTimes, now: number): number {
  return times.initialAge + Math.max(0, Math.floor((now - times.storedAt) / 1000))
}

/** The times of an entry stored `now` that is fresh for `maxAge` seconds, then stale for `staleWhileRevalidate`. */
export function entryTimes(now: number, maxAge: number, staleWhileRevalidate: number, initialAge: number): CacheTimes {
  const freshUntil = now + maxAge * 1000
  return { storedAt: now, freshUntil, staleUntil: freshUntil + staleWhileRevalidate * 1000, initialAge }
}
