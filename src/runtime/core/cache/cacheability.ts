import { deltaSeconds, parseCacheControl } from './cache-control'
import type { CachePolicy } from './cache-policy'

export interface CacheRequest {
  method: string
  /** The request is in preview (issue 15: `isPreviewRequest(event)`): drafts are never shared. */
  preview: boolean
  /** A `Range` request wants part of a body; the cache holds whole ones only. */
  range: boolean
}

/** Whether the cache may answer (or fill from) this request; any other request goes to the CMS as before (`BYPASS`). */
export function isCacheableRequest({ method, preview, range }: CacheRequest): boolean {
  return (method === 'GET' || method === 'HEAD') && !preview && !range
}

export type ResponseVerdict
  = | { store: true, maxAge: number, staleWhileRevalidate: number, initialAge: number }
    | { store: false, reason: string }

// Statuses cached by the API's own maxAge. A 404 only when the CMS says for how long (max-age or
// s-maxage): content published a minute later must not stay missing for the API's whole maxAge.
const CACHEABLE_STATUSES = new Set([200, 203, 204])
const EXPLICIT_ONLY_STATUSES = new Set([404])

/**
 * Whether a CMS response may be stored and shared, from its status and headers alone (decided
 * before its body is read, so anything refused streams through untouched):
 * - never with `Set-Cookie` (someone's session), a `Cache-Control` of `no-store`, `private` or
 *   `no-cache`, a `Vary` on anything the key does not hold, or a `Content-Encoding` (the entry
 *   would be served to clients that did not ask for it);
 * - never with a `Content-Length` over `maxEntrySize`; a body of unknown length (chunked) may be
 *   stored, and the caller holds it only up to `maxEntrySize` (past it, it streams on uncached);
 * - fresh for the API's `maxAge`, shortened by the CMS's `s-maxage` (or `max-age`) and `Age`;
 *   `must-revalidate` / `proxy-revalidate` turn stale serving off.
 */
export function responseCacheability(status: number, header: (name: string) => string | undefined, policy: CachePolicy, keyed: ReadonlySet<string>): ResponseVerdict {
  if (!CACHEABLE_STATUSES.has(status) && !EXPLICIT_ONLY_STATUSES.has(status))
    return { store: false, reason: `status ${status}` }
  if (header('set-cookie') !== undefined)
    return { store: false, reason: 'Set-Cookie' }
  const directives = parseCacheControl(header('cache-control'))
  for (const directive of ['no-store', 'private', 'no-cache']) {
    if (directives.has(directive))
      return { store: false, reason: `Cache-Control: ${directive}` }
  }
  const upstreamMaxAge = deltaSeconds(directives, 's-maxage') ?? deltaSeconds(directives, 'max-age')
  if (upstreamMaxAge === undefined && EXPLICIT_ONLY_STATUSES.has(status))
    return { store: false, reason: `status ${status} without max-age` }
  const vary = (header('vary') ?? '').split(',').map(name => name.trim().toLowerCase()).filter(Boolean)
  const unkeyed = vary.find(name => !keyed.has(name))
  if (unkeyed)
    return { store: false, reason: `Vary: ${unkeyed}` }
  const encoding = header('content-encoding')
  if (encoding && encoding.toLowerCase() !== 'identity')
    return { store: false, reason: `Content-Encoding: ${encoding}` }
  const length = header('content-length')
  if (length !== undefined && !/^\d+$/.test(length))
    return { store: false, reason: `Content-Length: ${length}` }
  if (length !== undefined && Number(length) > policy.maxEntrySize)
    return { store: false, reason: `larger than ${policy.maxEntrySize} bytes` }
  const initialAge = Number(/^\d+$/.test(header('age') ?? '') ? header('age') : 0)
  const maxAge = Math.min(policy.maxAge, upstreamMaxAge ?? policy.maxAge) - initialAge
  if (maxAge <= 0)
    return { store: false, reason: 'already stale' }
  const revalidate = directives.has('must-revalidate') || directives.has('proxy-revalidate')
  return { store: true, maxAge, staleWhileRevalidate: revalidate ? 0 : policy.staleWhileRevalidate, initialAge }
}
