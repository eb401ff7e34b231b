import { createError } from 'h3'
import type { H3Error } from 'h3'
import { useRuntimeConfig, useStorage } from 'nitropack/runtime'
import { DEFAULT_STORAGE_TIMEOUT } from '../../core/session/session-data'
import { proxyStorageBase } from '../proxy/proxy-config'

let timeoutMs: number | undefined
/** `cmsAuth.storageTimeout` (NUXT_CMS_AUTH_STORAGE_TIMEOUT at runtime), read once per server start. */
function storageTimeout(): number {
  const configured = Number((useRuntimeConfig().cmsAuth as { storageTimeout?: unknown } | undefined)?.storageTimeout)
  return timeoutMs ??= configured > 0 ? configured : DEFAULT_STORAGE_TIMEOUT
}

// Mounts are set up before the first request (nitro.storage, or a plugin at startup): each base
// is looked up once, not on every request (unstorage normalizes the key and walks its mounts).
const memoryMounts = new Map<string, boolean>()
/** Whether `base` is Nitro's default memory mount, which answers at once and is this instance's alone. */
export function isMemoryMount(base: string = proxyStorageBase): boolean {
  let memory = memoryMounts.get(base)
  if (memory === undefined)
    memoryMounts.set(base, memory = useStorage().getMount(base).driver.name === 'memory')
  return memory
}

const UNAVAILABLE = Symbol.for('cms-auth:storage-unavailable')

/**
 * The one error a storage outage becomes: 503, naming the mount, never the driver's own text
 * (it can hold host names or credentials). The session it could not read is left as it was.
 */
export function storageUnavailable(): H3Error {
  const error = createError({
    statusCode: 503,
    statusMessage: 'Service Unavailable',
    message: `Nitro storage mount "${proxyStorageBase}" (cmsAuth.storage) did not answer; sessions and rate limits are unavailable until it does. Try again shortly.`,
  })
  return Object.assign(error, { [UNAVAILABLE]: true })
}

export const isStorageUnavailable = (error: unknown): error is H3Error => Boolean((error as Record<symbol, unknown> | undefined)?.[UNAVAILABLE])

/** Retry-After of a 503 for an unavailable store, seconds. */
export const STORAGE_RETRY_AFTER = '5'

/**
 * Runs one storage call with a deadline: a failed call, or one that takes longer than the
 * timeout (a Redis client queueing commands while it reconnects), rejects with `storageUnavailable()`.
 */
export function boundedStorage<T>(call: () => Promise<T> | T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const work = Promise.resolve().then(call)
  // The abandoned call may still settle later; its error is ours to swallow, not the process's.
  work.catch(() => {})
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(storageUnavailable()), storageTimeout())
  })
  return Promise.race([work.catch(() => Promise.reject(storageUnavailable())), deadline]).finally(() => clearTimeout(timer))
}
