import type { H3Event } from 'h3'
import { readRawBody } from 'h3'
import type { HeaderRecord } from '../../core/proxy/proxy-headers'

/**
 * The few facts about a request that h3 v1 gives only through `event.node`: the request target
 * as the client wrote it, the socket's peer, and whether there is a socket at all. Everything
 * else the proxy reads through h3's web-shaped helpers, so a move to h3 v2 (`event.req`, a web
 * Request) changes this file, not the pipeline.
 */

/** Nitro builds a stand-in request (`node-mock-http`, with its `__unenv__` field) where the host gives no Node request. */
export function isStandInRequest(event: H3Event): boolean {
  return '__unenv__' in event.node.req
}

/** The fetch context a local-fetch caller passed (`core/client/in-process.ts` marks the module's own calls with it). */
export function fetchContextOf(event: H3Event): unknown {
  return (event.node.req as { __unenv__?: unknown }).__unenv__
}

/** The request's headers as received, without the copy `getRequestHeaders` makes (the hot path reads them once). */
export function incomingHeaders(event: H3Event): HeaderRecord {
  return event.node.req.headers
}

/**
 * One request header as h3's `getRequestHeader` gives it (repeated values joined by `, `), without
 * the copy of every header h3 v1 makes on each call: the proxy's checks read five per request.
 */
export function requestHeader(event: H3Event, name: string): string | undefined {
  const value = event.node.req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.filter(Boolean).join(', ') : value
}

/** The request target exactly as received: h3 decodes `event.path` once before any handler runs. */
export function rawRequestTarget(event: H3Event): string {
  return event.node.req.originalUrl ?? event.node.req.url ?? ''
}

/** The TCP peer's address, only for a request that arrived on a real socket. */
export function socketAddress(event: H3Event): string | undefined {
  return isStandInRequest(event) ? undefined : event.node.req.socket?.remoteAddress
}

/** Ends a response whose status line is long sent: the client sees the connection close. */
export function cutResponse(event: H3Event): void {
  event.node.res.destroy()
}

/** Whether the status line and headers are already on their way (a later error can only cut). */
export function responseStarted(event: H3Event): boolean {
  return event.node.res.headersSent || event.node.res.writableEnded
}

/**
 * Ends the response with `body` now. (h3 v1's `send` ends it on the next tick, which lets a
 * handler that does not await it fall through to the next route.)
 */
export function endResponse(event: H3Event, body?: Uint8Array): void {
  event.node.res.end(body)
}

/** A whole answer in one go (status line, headers and body in one write): the response cache's hits. */
export function endWholeResponse(event: H3Event, status: number, headers: Record<string, string | number>, body?: Uint8Array): void {
  event.node.res.writeHead(status, headers)
  event.node.res.end(body)
}

/**
 * The request body, never more than `limit` bytes: bytes already read, `'stream'` (a declared
 * Content-Length within the limit: Node's parser delivers no more than it declares, so the
 * transport may stream it), none, or `'too-large'`. A chunked body has no declared size, so it is
 * read up to the limit before the CMS is contacted: an oversize upload never reaches it. A
 * stand-in request carries its body as a value already.
 */
export async function readBoundedBody(event: H3Event, limit: number): Promise<Uint8Array | 'stream' | undefined | 'too-large'> {
  const req = event.node.req
  if (isStandInRequest(event)) {
    if ((req as { body?: unknown }).body == null || !PAYLOAD_METHODS.has(req.method ?? ''))
      return undefined
    const bytes = await readRawBody(event, false)
    return bytes && bytes.length > limit ? 'too-large' : bytes
  }
  const declared = req.headers['content-length']
  if (declared !== undefined) {
    const length = Number(declared)
    if (length > limit)
      return 'too-large'
    return length > 0 ? 'stream' : undefined
  }
  if (req.headers['transfer-encoding'] === undefined)
    return undefined
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const onData = (chunk: Uint8Array) => {
      size += chunk.length
      if (size <= limit)
        return void chunks.push(chunk)
      // Keep reading (and dropping) so the 413 can be delivered; the connection closes after it.
      req.off('data', onData)
      req.off('end', onEnd)
      req.resume()
      resolve('too-large')
    }
    const onEnd = () => resolve(concatBytes(chunks))
    req.on('data', onData)
    req.on('end', onEnd)
    req.once('error', reject)
  })
}

/** The whole body as bytes (a server-held session may replay the request), within `limit`. */
export async function readWholeBody(event: H3Event, limit: number): Promise<Uint8Array | undefined | 'too-large'> {
  const body = await readBoundedBody(event, limit)
  return body === 'stream' ? (await readRawBody(event, false)) ?? undefined : body
}

const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.length
  }
  return all
}
