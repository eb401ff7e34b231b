import { purgeCacheEntries, purgedInStorageSince, recordPurge, removeCacheEntry, writeCacheEntry } from './cache-store'
import type { CacheEntry } from './cache-store'

// When each API was last purged on this instance (epoch ms): a response that was on its way
// from the CMS before then is not stored, so a purge is never undone by a request in flight.
const purgedAt = new Map<string, number>()

/**
 * Removes every cached response of `api` (on all instances sharing the storage mount) and
 * resolves to how many there were. On a shared mount the purge time is stored first, so a fill
 * another instance has in flight sees it (`storeUnlessPurged`).
 */
export async function purgeCache(api: string): Promise<number> {
  const now = Date.now()
  purgedAt.set(api, now)
  await recordPurge(api, now)
  return purgeCacheEntries(api)
}

/**
 * Stores a fill that started at `startedAt`, unless the API was purged since: here (memory), or
 * on any instance sharing the mount. Written first, then checked: a purge that lands between the
 * two either removes the entry itself or is seen here, so the old answer never outlives it.
 * Instances compare their own clocks (keep them in sync, as for the rate limit's windows).
 */
export async function storeUnlessPurged(api: string, variant: string, entry: CacheEntry, startedAt: number): Promise<void> {
  if (purgedSince(api, startedAt))
    return
  await writeCacheEntry(variant, entry)
  if (await purgedInStorageSince(api, startedAt))
    await removeCacheEntry(variant)
}

function purgedSince(api: string, startedAt: number): boolean {
  return (purgedAt.get(api) ?? Number.NEGATIVE_INFINITY) >= startedAt
}
