import { createRouter, defineEventHandler, getHeader, getQuery, setResponseHeader, setResponseStatus } from 'h3'
import type { MockCmsState } from '../state'
import { count } from '../state'

/**
 * Content whose answers say how they may be cached, for the proxy cache's tests and benchmark:
 * every path counts the requests that reached it (`cachelab <path>`) and answers its count as
 * `version`, so a test sees whether a response came from the CMS or from the cache. The query
 * sets the rest: `cc` (Cache-Control), `cookie` (a Set-Cookie), `status`, `ms` (latency; a path
 * with `/slow/` in it waits 300 ms),
 * `vary`, `chunked` (no Content-Length, written in pieces of 1000 bytes), `size` (padding bytes),
 * `hold` (the path's first answer waits until the test calls `releaseHeld` with that name),
 * `raw` (a binary body: every byte value, then the query and the API-key header it received,
 * secret included; `sentBytes(path)` gives the test exactly what went out).
 */
export function cacheLabRouter(state: MockCmsState) {
  const router = createRouter()
  router.use('/**', defineEventHandler(async (event) => {
    const path = event.path.split('?')[0]!
    count(state, `cachelab ${path}`)
    const query = getQuery(event)
    // A path with /slow/ in it answers after 300 ms: a latency that stays the same across the variants of a path.
    const latency = Number(query.ms ?? (path.includes('/slow/') ? 300 : 0))
    if (latency)
      await new Promise(resolve => setTimeout(resolve, latency))
    if (query.hold && state.counters[`cachelab ${path}`] === 1)
      await new Promise<void>(resolve => held.set(String(query.hold), resolve))
    if (query.cc)
      setResponseHeader(event, 'cache-control', String(query.cc))
    if (query.cookie)
      setResponseHeader(event, 'set-cookie', 'visitor=someone; Path=/; HttpOnly')
    if (query.vary)
      setResponseHeader(event, 'vary', String(query.vary))
    setResponseStatus(event, Number(query.status ?? 200))
    if (query.raw) {
      const text = new TextEncoder().encode(JSON.stringify({ query: event.path.slice(path.length), key: getHeader(event, 'x-microcms-api-key') ?? null }))
      const bytes = new Uint8Array(256 + text.length)
      for (let value = 0; value < 256; value++)
        bytes[value] = value
      bytes.set(text, 256)
      sent.set(path, bytes)
      setResponseHeader(event, 'content-type', 'application/octet-stream')
      return bytes
    }
    const body = JSON.stringify({
      path,
      version: state.counters[`cachelab ${path}`],
      language: getHeader(event, 'accept-language') ?? null,
      encoding: getHeader(event, 'accept-encoding') ?? null,
      padding: 'x'.repeat(Number(query.size ?? 0)),
    })
    setResponseHeader(event, 'content-type', 'application/json')
    if (!query.chunked)
      return body
    const res = event.node.res
    for (let start = 0; start < body.length; start += 1000)
      res.write(body.slice(start, start + 1000))
    res.end()
  }))
  return router
}

const held = new Map<string, () => void>()
const sent = new Map<string, Uint8Array>()

/** The bytes the last `?raw=1` answer of `path` carried. */
export const sentBytes = (path: string): Uint8Array | undefined => sent.get(path)

/** Lets the answers waiting with `?hold=<name>` go; whether one was waiting. */
export function releaseHeld(name: string): boolean {
  const release = held.get(name)
  held.delete(name)
  release?.()
  return Boolean(release)
}
