import { useNitroApp } from 'nitropack/runtime'
import type { CachePolicy } from '../../core/cache/cache-policy'
import { responseCacheability } from '../../core/cache/cacheability'
import type { HeaderRecord } from '../../core/proxy/proxy-headers'
import type { ProxyApi } from '../proxy/proxy-config'
import type { UpstreamRequest } from '../proxy/upstream'
import { entryOf } from './cache-entry'
import type { CacheEntry } from './cache-store'

/**
 * The background request of stale-while-revalidate: no visitor waits on it and no response is
 * sent, so it is a plain web `fetch` (Nitro's local fetch for a base URL this app serves), on every
 * runtime. Only a response the cache may store is read, and only up to `maxEntrySize`.
 */
export async function fetchForCache(api: ProxyApi, request: UpstreamRequest, policy: CachePolicy, varyKeyed: ReadonlySet<string>): Promise<CacheEntry | undefined> {
  const init: RequestInit = { method: 'GET', headers: request.headers, redirect: 'manual', signal: AbortSignal.timeout(api.timeout) }
  const url = api.baseURL + request.pathAndQuery
  const response = api.upstream ? await fetch(url, init) : await useNitroApp().localFetch(url, init)
  const header = (name: string) => name === 'set-cookie' ? (response.headers.getSetCookie().length ? 'set' : undefined) : response.headers.get(name) ?? undefined
  // An error answer is checked for the API's secret on the visitor's path (transport.ts); here it
  // is not stored, and the stale entry ends in its time.
  const verdict = response.status < 400 ? responseCacheability(response.status, header, policy, varyKeyed) : { store: false as const }
  if (!verdict.store) {
    await response.body?.cancel()
    return undefined
  }
  const body = new Uint8Array(await response.arrayBuffer())
  if (body.length > policy.maxEntrySize)
    return undefined
  const headers: HeaderRecord = Object.fromEntries(response.headers)
  return entryOf({ status: response.status, headers, body, allowed: api.responseHeaders }, verdict, Date.now())
}
