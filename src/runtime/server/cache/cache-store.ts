import { useStorage } from 'nitropack/runtime'
import type { CacheTimes } from '../../core/cache/freshness'
import { proxyStorageBase } from '../proxy/proxy-config'
import { boundedStorage, isMemoryMount } from '../storage/storage-bound'

/** One stored CMS response: status, the headers the browser may see, the body's bytes as received. */
export interface CacheEntry extends CacheTimes {
  status: number
  headers: Record<string, string>
  body: Uint8Array
}

// The default memory mount: entries live in this map, not behind unstorage's per-call work (the
// rate limit does the same). Bounded in bytes; the oldest written go first.
const MEMORY_BUDGET = 64 * 1024 * 1024
const memory = new Map<string, CacheEntry>()
let memoryBytes = 0

/**
 * The entry stored for `variant` (core/cache/cache-key.ts), or `undefined`, also once it is past
 * its stale time. Any other mount (Redis, shared between instances) is read through Nitro storage
 * within `cmsAuth.storageTimeout` (storage-bound.ts); its failure rejects.
 */
export function readCacheEntry(variant: string, now: number): CacheEntry | undefined | Promise<CacheEntry | undefined> {
  if (isMemoryMount()) {
    const entry = memory.get(variant)
    if (entry && entry.staleUntil <= now) {
      dropFromMemory(variant, entry)
      return undefined
    }
    return entry
  }
  return boundedStorage(async () => {
    const raw = await useStorage().getItemRaw<Uint8Array>(await storageKey(variant))
    const entry = raw ? decodeEntry(new Uint8Array(raw)) : undefined
    return entry && entry.staleUntil > now ? entry : undefined
  })
}

/** Stores `entry` until its stale time ends (the driver's TTL removes it there). */
export async function writeCacheEntry(variant: string, entry: CacheEntry): Promise<void> {
  if (isMemoryMount()) {
    const previous = memory.get(variant)
    if (previous)
      dropFromMemory(variant, previous)
    memory.set(variant, entry)
    memoryBytes += entry.body.length
    for (const [oldest, value] of memory) {
      if (memoryBytes <= MEMORY_BUDGET)
        break
      dropFromMemory(oldest, value)
    }
    return
  }
  const ttl = Math.max(1, Math.ceil((entry.staleUntil - Date.now()) / 1000))
  await boundedStorage(async () => useStorage().setItemRaw(await storageKey(variant), encodeEntry(entry), { ttl }))
}

/** Removes every entry of one API, on every instance sharing the mount; resolves to how many there were. */
export async function purgeCacheEntries(api: string): Promise<number> {
  if (isMemoryMount()) {
    let purged = 0
    for (const [variant, entry] of memory) {
      if (variant.startsWith(`${api}\n`)) {
        dropFromMemory(variant, entry)
        purged++
      }
    }
    return purged
  }
  return boundedStorage(async () => {
    const storage = useStorage()
    const keys = await storage.getKeys(`${proxyStorageBase}:cache:${api}`)
    await Promise.all(keys.map(key => storage.removeItem(key)))
    return keys.length
  })
}

/**
 * Shared mounts: records that `api` was purged `at` (epoch ms), so a fill another instance started
 * before then is not kept (`purgedInStorageSince`). Written before the entries are removed.
 */
export async function recordPurge(api: string, at: number): Promise<void> {
  if (!isMemoryMount())
    await boundedStorage(() => useStorage().setItem(purgeKey(api), at))
}

/**
 * Whether any instance sharing the mount purged `api` at or after `startedAt`; always `false` on
 * the memory mount (this instance's own purges are known without storage: cache-purge.ts). A
 * storage that does not answer counts as a purge: an entry is then dropped, never kept stale.
 */
export async function purgedInStorageSince(api: string, startedAt: number): Promise<boolean> {
  if (isMemoryMount())
    return false
  const at = await boundedStorage(() => useStorage().getItem<number>(purgeKey(api))).catch(() => Number.POSITIVE_INFINITY)
  return Number(at ?? Number.NEGATIVE_INFINITY) >= startedAt
}

/** Removes one entry (a fill that a purge on another instance overtook); a miss if it is already gone. */
export async function removeCacheEntry(variant: string): Promise<void> {
  if (isMemoryMount()) {
    const entry = memory.get(variant)
    if (entry)
      dropFromMemory(variant, entry)
    return
  }
  await boundedStorage(async () => useStorage().removeItem(await storageKey(variant)))
}

const purgeKey = (api: string) => `${proxyStorageBase}:cache-purged:${api}`

function dropFromMemory(variant: string, entry: CacheEntry): void {
  memory.delete(variant)
  memoryBytes -= entry.body.length
}

// The variant holds raw paths and header values: hashed, it is a key every driver accepts
// (unstorage cuts a key at `?` and turns `/` into `:`). The API name stays readable for the purge.
async function storageKey(variant: string): Promise<string> {
  const api = variant.slice(0, variant.indexOf('\n'))
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(variant)))
  let hex = ''
  for (const byte of digest.subarray(0, 20))
    hex += byte.toString(16).padStart(2, '0')
  return `${proxyStorageBase}:cache:${api}:${hex}`
}

// Bytes, not JSON of the body: [4-byte length of the metadata][metadata JSON][body as received].
function encodeEntry({ body, ...meta }: CacheEntry): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(meta))
  const bytes = new Uint8Array(4 + head.length + body.length)
  new DataView(bytes.buffer).setUint32(0, head.length)
  bytes.set(head, 4)
  bytes.set(body, 4 + head.length)
  return bytes
}

function decodeEntry(bytes: Uint8Array): CacheEntry | undefined {
  try {
    const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
    const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as Omit<CacheEntry, 'body'>
    return { ...meta, body: bytes.subarray(4 + length) }
  }
  catch {
    // Written by another version, or not by us: a miss, never an error.
    return undefined
  }
}
