import type { H3Event } from 'h3'
import type { CachePolicy } from '../../core/cache/cache-policy'
import { responseCacheability } from '../../core/cache/cacheability'
import type { ResponseVerdict } from '../../core/cache/cacheability'
import type { ProxyApi } from '../proxy/proxy-config'
import { fetchHeld } from '../proxy/transport'
import type { UpstreamRequest } from '../proxy/upstream'
import { entryOf } from './cache-entry'
import type { CacheEntry } from './cache-store'

/**
 * The background request of stale-while-revalidate: no visitor waits on it and no response is
 * sent, so it takes the transport's event-less entry (the same path, pool and deadlines as the
 * visitor's request `from`). Only a response the cache may store is read, and only up to
 * `maxEntrySize`; an error is not stored, and the stale entry ends in its time.
 */
export async function fetchForCache(from: H3Event, api: ProxyApi, request: UpstreamRequest, policy: CachePolicy, varyKeyed: ReadonlySet<string>): Promise<CacheEntry | undefined> {
  let verdict: ResponseVerdict = { store: false, reason: 'no response' }
  const held = await fetchHeld(from, api, { ...request, method: 'GET', body: undefined }, (status, header) =>
    status < 400 && (verdict = responseCacheability(status, header, policy, varyKeyed)).store && policy.maxEntrySize)
  return held && verdict.store ? entryOf(held, verdict, Date.now()) : undefined
}
