import { pickHeaders } from '../../core/proxy/proxy-headers'
import { entryTimes } from '../../core/cache/freshness'
import type { ResponseVerdict } from '../../core/cache/cacheability'
import type { HeldResponse } from '../proxy/upstream'
import type { CacheEntry } from './cache-store'

/** A held CMS response as an entry: the headers the browser may see (its `Age` is recomputed when served), the bytes as received. */
export function entryOf(held: HeldResponse, verdict: Extract<ResponseVerdict, { store: true }>, now: number): CacheEntry {
  const { age: _age, ...headers } = pickHeaders(held.headers, held.allowed)
  headers['content-length'] = String(held.body.length)
  return { status: held.status, headers, body: held.body, ...entryTimes(now, verdict.maxAge, verdict.staleWhileRevalidate, verdict.initialAge) }
}
