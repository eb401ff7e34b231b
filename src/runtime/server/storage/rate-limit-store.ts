import { useStorage } from 'nitropack/runtime'
import { boundedStorage, isMemoryMount } from './storage-bound'

interface RedisPipeline {
  incr: (key: string) => RedisPipeline
  expire: (key: string, seconds: number) => RedisPipeline
  exec: () => Promise<[Error | null, unknown][] | null>
}

interface RedisLike {
  multi: () => RedisPipeline
}

const memoryCounters = new Map<string, { count: number, expires: number }>()
const pending = new Map<string, Promise<number>>()

/**
 * Adds one request to the counter `key` and returns the new count. The counter lives in the
 * Nitro storage mount `base`: a Redis mount is incremented atomically (INCR) so instances
 * sharing it never lose a count; the default memory mount is a plain in-process map; any other
 * driver gets a read-then-write that is exact within one instance. A store that fails or does not
 * answer within `cmsAuth.storageTimeout` rejects with a 503 naming the mount (storage-bound.ts).
 */
export function incrementCounter(base: string, key: string, ttlSeconds: number): Promise<number> | number {
  // The memory mount answers at once and cannot stall: no deadline to arm on the hot path.
  if (isMemoryMount(base))
    return incrementInMemory(`${base}:${key}`, ttlSeconds)
  return boundedStorage(() => count(base, key, ttlSeconds))
}

async function count(base: string, key: string, ttlSeconds: number): Promise<number> {
  const storage = useStorage()
  const { driver } = storage.getMount(base)
  const redis = (driver as { getInstance?: () => unknown }).getInstance?.() as RedisLike | undefined
  if (redis && typeof redis.multi === 'function') {
    const redisKey = `${base}:${key}`
    const results = await redis.multi().incr(redisKey).expire(redisKey, ttlSeconds).exec()
    return Number(results?.[0]?.[1] ?? 1)
  }
  return serialized(`${base}:${key}`, async () => {
    const count = Number(await storage.getItem<number>(`${base}:${key}`) ?? 0) + 1
    await storage.setItem(`${base}:${key}`, count, { ttl: ttlSeconds })
    return count
  })
}

function incrementInMemory(key: string, ttlSeconds: number): number {
  const now = Date.now()
  const entry = memoryCounters.get(key)
  if (entry && entry.expires > now)
    return ++entry.count
  // Windows end on their own: drop expired counters now and then so the map does not grow.
  if (memoryCounters.size > 10_000) {
    for (const [stale, value] of memoryCounters) {
      if (value.expires <= now)
        memoryCounters.delete(stale)
    }
  }
  memoryCounters.set(key, { count: 1, expires: now + ttlSeconds * 1000 })
  return 1
}

function serialized(key: string, task: () => Promise<number>): Promise<number> {
  const next = (pending.get(key) ?? Promise.resolve(0)).then(task, task)
  pending.set(key, next)
  void next.finally(() => pending.get(key) === next && pending.delete(key))
  return next
}
