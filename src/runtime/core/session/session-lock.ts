import type { RefreshLock } from '../tokens/token-session'
import { authError } from '../tokens/tokens'

/** Set-if-absent with a time limit, in storage that several server instances share (Redis `SET NX PX`). */
export interface LockStore {
  /** Stores `owner` under `key` unless the key exists; true when this call took it. */
  acquire: (key: string, owner: string, ttlMs: number) => Promise<boolean>
  /** Removes `key` only while it still holds `owner` (an expired lock may belong to someone else now). */
  release: (key: string, owner: string) => Promise<void>
}

export interface StorageLockOptions {
  /** How long a lock outlives a crashed holder. */
  ttlMs: number
  /** How long a waiter waits before giving up (the session is kept: the next request tries again). */
  waitMs: number
  pollMs: number
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

const pause = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/**
 * A `RefreshLock` per key across instances: the holder runs its task, the others poll until the
 * key is free and then run theirs, which re-read what the holder stored before refreshing again.
 */
export function createStorageLock(store: LockStore, options: StorageLockOptions): (key: string) => RefreshLock {
  const { sleep = pause, now = Date.now } = options
  return key => async <T>(task: () => Promise<T>): Promise<T> => {
    const owner = crypto.randomUUID()
    const deadline = now() + options.waitMs
    while (!(await store.acquire(key, owner, options.ttlMs))) {
      if (now() >= deadline)
        throw authError('unavailable', `another server instance held the refresh lock for longer than ${options.waitMs} ms`)
      await sleep(options.pollMs)
    }
    try {
      return await task()
    }
    finally {
      await store.release(key, owner)
    }
  }
}
