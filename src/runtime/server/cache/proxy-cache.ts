import type { H3Event } from 'h3'
import { cacheVariant } from '../../core/cache/cache-key'
import { cachePolicyFor } from '../../core/cache/cache-policy'
import type { CachePolicy } from '../../core/cache/cache-policy'
import { isCacheableRequest, responseCacheability } from '../../core/cache/cacheability'
import type { ResponseVerdict } from '../../core/cache/cacheability'
import { ageOf, freshnessOf } from '../../core/cache/freshness'
import { endWholeResponse, incomingHeaders } from '../proxy/h3-request'
import type { ProxyApi } from '../proxy/proxy-config'
import { resolveProxyApis } from '../proxy/proxy-config'
import { isPreviewRequest } from '../preview/preview-state'
import { forward } from '../proxy/transport'
import { sendHeldResponse } from '../proxy/upstream'
import type { UpstreamRequest } from '../proxy/upstream'
import { entryOf } from './cache-entry'
import { fetchForCache } from './cache-fill'
import { readCacheEntry } from './cache-store'
import type { CacheEntry } from './cache-store'
import { storeUnlessPurged } from './cache-purge'

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
  method: string
  /** Path and query as received, the key's part (never the credential query the proxy adds). */
  received: string
  /** Decoded path, for the rules' patterns. */
  decoded: string
}

/** What the cache could not answer on its own: a stale entry to serve while refreshing, or a miss. */
export interface CacheMiss {
  variant: string
  policy: CachePolicy
  stale?: CacheEntry
  /** Another request of this instance was already asking the CMS, and could not store its answer. */
  followed: boolean
}

/**
 * Step 7 of the proxy route for an API with `proxy.cache`, after every check: a fresh entry is
 * the answer (`HIT`), before anything for the CMS is even prepared; a miss that another request
 * of this instance is already filling waits for it. `'served'`, `undefined` when the cache does
 * not apply (no cache on the path, or `BYPASS`: preview, a Range request, another method), or
 * what the forwarding step must do. A storage outage is a miss, never an error.
 */
export async function answerFromCache(event: H3Event, api: ProxyApi, target: CacheTarget, responseHeaders: Record<string, string>): Promise<'served' | CacheMiss | undefined> {
  const policy = cachePolicyFor(api.cache, api.cacheRules, target.decoded)
  if (!policy)
    return undefined
  const headers = incomingHeaders(event)
  // Any preview cookie, for any API: drafts are never shared. No API with preview, no cookie to read.
  const preview = previewConfigured() && await isPreviewRequest(event)
  if (!isCacheableRequest({ method: target.method, preview, range: headers.range !== undefined })) {
    responseHeaders[CACHE_STATUS_HEADER] = 'BYPASS'
    return undefined
  }
  const variant = cacheVariant(api.name, target.received, headers, api.cacheKeyed)
  const now = Date.now()
  const read = readCacheEntry(variant, now)
  // The memory mount answers at once: no promise on the hot path.
  const entry = read instanceof Promise ? await read.catch(() => undefined) : read
  if (entry && freshnessOf(entry, now) === 'fresh') {
    sendEntry(event, entry, 'HIT', target.method, responseHeaders, now)
    return 'served'
  }
  if (entry)
    return { variant, policy, stale: entry, followed: false }
  const pending = inflight.get(variant)
  const filled = pending && await pending
  if (filled) {
    sendEntry(event, filled, 'HIT', target.method, responseHeaders, Date.now())
    return 'served'
  }
  return { variant, policy, followed: Boolean(pending) }
}

/**
 * Step 8 for what the cache could not answer: a stale entry is served while one background
 * request refreshes it (`STALE`); a miss goes to the CMS once per variant on this instance
 * (`MISS`). What the cache cannot hold streams through as before.
 */
export async function forwardCacheMiss(event: H3Event, api: ProxyApi, request: UpstreamRequest, miss: CacheMiss): Promise<void> {
  if (miss.stale) {
    revalidate(event, api, request, miss.variant, miss.policy)
    return sendEntry(event, miss.stale, 'STALE', request.method, request.responseHeaders, Date.now())
  }
  request.responseHeaders[CACHE_STATUS_HEADER] = 'MISS'
  // HEAD has no body to store; a follower whose leader could not store streams on its own.
  if (request.method === 'HEAD' || miss.followed)
    return void await forward(event, api, request)
  await fillAndSend(event, api, request, miss.variant, miss.policy)
}

/**
 * The leader of a cold miss: asks the CMS and holds the response back only when the cache may
 * keep it (anything else streams to this visitor as before). The waiting requests get the entry
 * as soon as it is here; this visitor once it is stored, so the next request on any instance
 * sharing the storage finds it.
 */
async function fillAndSend(event: H3Event, api: ProxyApi, request: UpstreamRequest, variant: string, policy: CachePolicy): Promise<void> {
  const startedAt = Date.now()
  let settle: (entry: CacheEntry | undefined) => void = () => {}
  inflight.set(variant, new Promise(resolve => settle = resolve))
  try {
    let verdict: ResponseVerdict = { store: false, reason: 'no response' }
    // Held up to maxEntrySize (a chunked answer's length is known only once read); a longer one
    // reaches this visitor as it streams, and `held` is undefined.
    const held = await forward(event, api, fillRequest(request), (status, header) => (verdict = responseCacheability(status, header, policy, varyKeyed(api))).store && policy.maxEntrySize)
    if (!held)
      return
    if (!verdict.store || held.body.length > policy.maxEntrySize)
      return sendHeldResponse(event, held, request.responseHeaders)
    const entry = entryOf(held, verdict, Date.now())
    settle(entry)
    await store(api, variant, entry, startedAt)
    sendEntry(event, entry, 'MISS', request.method, request.responseHeaders, Date.now())
  }
  finally {
    settle(undefined)
    inflight.delete(variant)
  }
}

/** Stale-while-revalidate: one background request per variant, kept alive on workers by `waitUntil`. */
function revalidate(event: H3Event, api: ProxyApi, request: UpstreamRequest, variant: string, policy: CachePolicy): void {
  if (inflight.has(variant))
    return
  const startedAt = Date.now()
  const work = fetchForCache(event, api, fillRequest(request), policy, varyKeyed(api))
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
  await storeUnlessPurged(api.name, variant, entry, startedAt).catch(() => {})
}

function sendEntry(event: H3Event, entry: CacheEntry, status: CacheStatus, method: string, responseHeaders: Record<string, string>, now: number): void {
  endWholeResponse(event, entry.status, { ...entry.headers, ...responseHeaders, age: ageOf(entry, now), [CACHE_STATUS_HEADER]: status }, method === 'HEAD' ? undefined : entry.body)
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

let anyPreview: boolean | undefined
const previewConfigured = (): boolean => anyPreview ??= [...resolveProxyApis().values()].some(api => api.preview)

function keepAlive(event: H3Event, work: Promise<unknown>): void {
  (event as { waitUntil?: (promise: Promise<unknown>) => void }).waitUntil?.(work.catch(() => {}))
}
