import { useStorage } from 'nitropack/runtime'
import type { LockStore } from '../../core/session/session-lock'
import { proxyStorageBase } from '../proxy/proxy-config'
import { boundedStorage, isMemoryMount } from '../storage/storage-bound'

interface RedisLike {
  set: (key: string, value: string, px: 'PX', ttl: number, nx: 'NX') => Promise<string | null>
  eval: (script: string, keys: number, key: string, owner: string) => Promise<unknown>
}

// Delete the lock only while it is still ours: an expired lock may have a new holder.
const RELEASE_IF_OWNER = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end'
const memory = new Map<string, { value: unknown, expires: number }>()

function redisOf(): RedisLike | undefined {
  const { driver } = useStorage().getMount(proxyStorageBase)
  const instance = (driver as { getInstance?: () => unknown }).getInstance?.() as RedisLike | undefined
  return instance && typeof instance.set === 'function' ? instance : undefined
}

function readMemory(key: string): unknown {
  const entry = memory.get(key)
  if (entry && entry.expires > Date.now())
    return entry.value
  memory.delete(key)
  return undefined
}

function writeMemory(key: string, value: unknown, ttlSeconds: number): void {
  if (memory.size > 10_000) {
    const now = Date.now()
    for (const [stale, entry] of memory) {
      if (entry.expires <= now)
        memory.delete(stale)
    }
  }
  memory.set(key, { value, expires: Date.now() + ttlSeconds * 1000 })
}

/**
 * Session state shared between instances, under the `cmsAuth.storage` mount: refresh locks
 * (atomic `SET NX PX` on Redis; an in-process map on the memory driver, where one instance is
 * all there is) and records with a lifetime (the session records). Every call is bounded by
 * `cmsAuth.storageTimeout` and fails as a 503 naming the mount (storage-bound.ts).
 */
export const sessionStore = {
  lock: {
    acquire: (key, owner, ttlMs) => boundedStorage(async () => {
      const full = `${proxyStorageBase}:${key}`
      const redis = isMemoryMount() ? undefined : redisOf()
      if (redis)
        return (await redis.set(full, owner, 'PX', ttlMs, 'NX')) === 'OK'
      if (readMemory(full) !== undefined)
        return false
      writeMemory(full, owner, ttlMs / 1000)
      return true
    }),
    release: (key, owner) => boundedStorage(async () => {
      const full = `${proxyStorageBase}:${key}`
      const redis = isMemoryMount() ? undefined : redisOf()
      if (redis)
        return void await redis.eval(RELEASE_IF_OWNER, 1, full, owner)
      if (readMemory(full) === owner)
        memory.delete(full)
    }),
  } satisfies LockStore,

  get: <T>(key: string): Promise<T | undefined> => boundedStorage(async () => {
    if (isMemoryMount())
      return readMemory(key) as T | undefined
    return (await useStorage(proxyStorageBase).getItem<T>(key)) ?? undefined
  }),

  set: (key: string, value: unknown, ttlSeconds: number): Promise<void> => boundedStorage(async () => {
    if (isMemoryMount())
      return writeMemory(key, value, ttlSeconds)
    await useStorage(proxyStorageBase).setItem(key, value as string, { ttl: Math.max(1, Math.ceil(ttlSeconds)) })
  }),

  remove: (key: string): Promise<void> => boundedStorage(async () => {
    if (isMemoryMount())
      return void memory.delete(key)
    await useStorage(proxyStorageBase).removeItem(key)
  }),
}
