import { purgeCacheEntries } from './cache-store'

// When each API was last purged on this instance (epoch ms): a response that was on its way
// from the CMS before then is not stored, so a purge is never undone by a request in flight.
const purgedAt = new Map<string, number>()

/** Whether `api` was purged at or after `startedAt`. */
export function purgedSince(api: string, startedAt: number): boolean {
  return (purgedAt.get(api) ?? Number.NEGATIVE_INFINITY) >= startedAt
}

/**
 * Removes every cached response of `api` (on all instances sharing the storage mount) and
 * resolves to how many there were.
 */
export async function purgeCache(api: string): Promise<number> {
  purgedAt.set(api, Date.now())
  return purgeCacheEntries(api)
}
