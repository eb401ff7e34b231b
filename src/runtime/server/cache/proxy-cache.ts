import type { H3Event } from 'h3'
import { setResponseHeaders, setResponseStatus } from 'h3'
import { cacheVariant } from '../../core/cache/cache-key'
import { cachePolicyFor } from '../../core/cache/cache-policy'
import type { CachePolicy } from '../../core/cache/cache-policy'
import { isCacheableRequest, responseCacheability } from '../../core/cache/cacheability'
import type { ResponseVerdict } from '../../core/cache/cacheability'
import { ageOf, freshnessOf } from '../../core/cache/freshness'
import { endResponse, incomingHeaders } from '../proxy/h3-request'
import type { ProxyApi } from '../proxy/proxy-config'
import { forward } from '../proxy/transport'
import { sendHeldResponse } from '../proxy/upstream'
import type { UpstreamRequest } from '../proxy/upstream'
import { entryOf } from './cache-entry'
import { fetchForCache } from './cache-fill'
import { readCacheEntry, writeCacheEntry } from './cache-store'
import type { CacheEntry } from './cache-store'
import { purgedSince } from './cache-purge'

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'BYPASS'
export const CACHE_STATUS_HEADER = 'x-cms-auth-cache'

// This instance's requests to the CMS for each variant: cold misses wait on the one in flight
// (N concurrent requests, one CMS call), and a stale entry is revalidated once.
const inflight = new Map<string, Promise<CacheEntry | undefined>>()

// Never sent to the CMS when filling the cache: the entry must be the whole body, uncompressed
// (the transport passes bytes through, and another client may not accept that encoding).
const NOT_FOR_FILLS = ['accept-encoding', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'if-range', 'range']

/** The request the path is judged by, as the handler resolved it (core/proxy/proxy-path.ts). */
export interface CacheTarget {
  /** Path and query as received, the key's part (never the credential query the proxy adds). */
  received: string
  /** Decoded path, for the rules' patterns. */
  decoded: string
}

/**
 * Step 8 of the proxy route for an API with `proxy.cache` (the checks of steps 1–6 have all run):
 * a fresh entry is served at once (`HIT`), a stale one too while one background request
 * refreshes it (`STALE`), a miss goes to the CMS once per variant on this instance (`MISS`,
 * concurrent misses share it). What the cache cannot hold streams through as before. A preview
 * request, a Range request or another method is `BYPASS`. A storage outage is a miss, never an error.
 */
export async function forwardThroughCache(event: H3Event, api: ProxyApi, request: UpstreamRequest, target: CacheTarget, preview: boolean): Promise<void> {
  const policy = cachePolicyFor(api.cache, api.cacheRules, target.decoded)
  if (!policy)
    return void await forward(event, api, request)
  const headers = incomingHeaders(event)
  if (!isCacheableRequest({ method: request.method, preview, range: headers.range !== undefined })) {
    request.responseHeaders[CACHE_STATUS_HEADER] = 'BYPASS'
    return void await forward(event, api, request)
  }
  const variant = cacheVariant(api.name, target.received, headers, api.cacheKeyed)
  const now = Date.now()
  const entry = await Promise.resolve(readCacheEntry(variant, now)).catch(() => undefined)
  const freshness = entry && freshnessOf(entry, now)
  if (entry && freshness === 'fresh')
    return sendEntry(event, entry, 'HIT', request, now)
  if (entry && freshness === 'stale') {
    revalidate(event, api, request, variant, policy)
    return sendEntry(event, entry, 'STALE', request, now)
  }
  const pending = inflight.get(variant)
  const filled = pending && await pending
  if (filled)
    return sendEntry(event, filled, 'HIT', request, Date.now())
  request.responseHeaders[CACHE_STATUS_HEADER] = 'MISS'
  // HEAD has no body to store; a follower whose leader could not store streams on its own.
  if (request.method === 'HEAD' || pending)
    return void await forward(event, api, request)
  await fillAndSend(event, api, request, variant, policy)
}

/**
 * The leader of a cold miss: asks the CMS and holds the response back only when the cache may
 * keep it (anything else streams to this visitor as before). The waiting requests get the entry
 * as soon as it is here; the variant stays in flight until it is stored, so none asks again.
 */
async function fillAndSend(event: H3Event, api: ProxyApi, request: UpstreamRequest, variant: string, policy: CachePolicy): Promise<void> {
  const startedAt = Date.now()
  let settle: (entry: CacheEntry | undefined) => void = () => {}
  inflight.set(variant, new Promise(resolve => settle = resolve))
  let stored: Promise<void> | undefined
  try {
    let verdict: ResponseVerdict = { store: false, reason: 'no response' }
    const held = await forward(event, api, fillRequest(request), (status, header) => (verdict = responseCacheability(status, header, policy, varyKeyed(api))).store)
    if (!held)
      return
    if (!verdict.store || held.body.length > policy.maxEntrySize)
      return sendHeldResponse(event, held, request.responseHeaders)
    const entry = entryOf(held, verdict, Date.now())
    settle(entry)
    sendEntry(event, entry, 'MISS', request, Date.now())
    stored = store(api, variant, entry, startedAt)
    keepAlive(event, stored)
  }
  finally {
    settle(undefined)
    if (stored)
      void stored.finally(() => inflight.delete(variant))
    else
      inflight.delete(variant)
  }
}

/** Stale-while-revalidate: one background request per variant, kept alive on workers by `waitUntil`. */
function revalidate(event: H3Event, api: ProxyApi, request: UpstreamRequest, variant: string, policy: CachePolicy): void {
  if (inflight.has(variant))
    return
  const startedAt = Date.now()
  const work = fetchForCache(api, fillRequest(request), policy, varyKeyed(api))
    .then(async (entry) => {
      if (entry)
        await store(api, variant, entry, startedAt)
      return entry
    })
    .catch(() => undefined)
    .finally(() => inflight.delete(variant))
  inflight.set(variant, work)
  keepAlive(event, work)
}

// A webhook that purged the API while this request was on its way: its answer may be the old content.
async function store(api: ProxyApi, variant: string, entry: CacheEntry, startedAt: number): Promise<void> {
  if (!purgedSince(api.name, startedAt))
    await writeCacheEntry(variant, entry).catch(() => {})
}

function sendEntry(event: H3Event, entry: CacheEntry, status: CacheStatus, request: UpstreamRequest, now: number): void {
  setResponseStatus(event, entry.status)
  setResponseHeaders(event, { ...entry.headers, ...request.responseHeaders, age: ageOf(entry, now), [CACHE_STATUS_HEADER]: status })
  endResponse(event, request.method === 'HEAD' ? undefined : entry.body)
}

function fillRequest(request: UpstreamRequest): UpstreamRequest {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !NOT_FOR_FILLS.includes(name)))
  return { ...request, headers: { ...headers, 'accept-encoding': 'identity' } }
}

// The entry is uncompressed whatever the client accepts, so a `Vary: Accept-Encoding` holds for it.
const varyKeyedSets = new WeakMap<ProxyApi, ReadonlySet<string>>()
function varyKeyed(api: ProxyApi): ReadonlySet<string> {
  let keyed = varyKeyedSets.get(api)
  if (!keyed)
    varyKeyedSets.set(api, keyed = new Set([...api.cacheKeyed, 'accept-encoding']))
  return keyed
}

function keepAlive(event: H3Event, work: Promise<unknown>): void {
  (event as { waitUntil?: (promise: Promise<unknown>) => void }).waitUntil?.(work.catch(() => {}))
}
