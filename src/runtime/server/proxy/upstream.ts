import type { H3Event } from 'h3'
import { setResponseHeaders, setResponseStatus } from 'h3'
import { pickHeaders } from '../../core/proxy/proxy-headers'
import type { HeaderRecord } from '../../core/proxy/proxy-headers'
import { endResponse } from './h3-request'

/** What every transport (transport.ts) sends upstream and may hand back held. */
export interface UpstreamRequest {
  method: string
  /** Path and query under the API's base path, already checked, as received. */
  pathAndQuery: string
  headers: Record<string, string>
  /**
   * The body: bytes already read, `'stream'` for the client's request body still to come (its
   * length declared and allowed), or none.
   */
  body: Uint8Array | 'stream' | undefined
  /** Headers this proxy adds to the response (rate limit). */
  responseHeaders: Record<string, string>
  /** Cookie mode: the CMS's `Set-Cookie` headers as the app's own cookies (otherwise they are dropped). */
  rewriteSetCookie?: (setCookies: string[]) => Promise<string[]>
}

/** An upstream answer kept back instead of sent (a server-held session may refresh and replay). */
export interface HeldResponse {
  status: number
  headers: HeaderRecord
  body: Uint8Array
  /** The API's response-header allow-list, applied when the response is sent. */
  allowed: ReadonlySet<string>
}

/**
 * Decides, from the status and headers, whether to keep the response back; it sees every
 * response. `true` holds the whole body; a number holds at most that many bytes (a body of
 * unknown length): a longer one is sent on to the client as any answer, the bytes read first
 * included, and the caller gets `undefined`.
 */
export type HoldResponse = (status: number, header: (name: string) => string | undefined) => boolean | number

/** The most bytes a `HoldResponse` answer holds. */
export const holdLimit = (wanted: true | number): number => wanted === true ? Number.POSITIVE_INFINITY : wanted

/**
 * A web body read up to `limit` bytes: all of it, or (longer) a stream that gives the chunks
 * already read and then the rest as it arrives, so nothing is lost and nothing more is buffered.
 */
export async function readUpTo(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | ReadableStream<Uint8Array>> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done)
      return joinChunks(chunks, size)
    chunks.push(value)
    size += value.length
    if (size > limit) {
      return new ReadableStream<Uint8Array>({
        async pull(out) {
          const next = chunks.shift() ?? (await reader.read()).value
          if (next)
            out.enqueue(next)
          else
            out.close()
        },
        cancel: reason => reader.cancel(reason),
      })
    }
  }
}

function joinChunks(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1)
    return chunks[0]!
  const joined = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    joined.set(chunk, offset)
    offset += chunk.length
  }
  return joined
}

/** Sends a held response as the proxy would have: allowed headers only. */
export function sendHeldResponse(event: H3Event, held: HeldResponse, extraHeaders: Record<string, string>): void {
  setResponseStatus(event, held.status)
  setResponseHeaders(event, { ...pickHeaders(held.headers, held.allowed), ...extraHeaders })
  endResponse(event, held.body)
}

/** Cookie mode: the CMS's `Set-Cookie` as the app's own cookies (and the sealed SSR copy); none otherwise. */
export async function firstPartyCookies(request: UpstreamRequest, setCookies: string[]): Promise<Record<string, string[]>> {
  const rewritten = setCookies.length && request.rewriteSetCookie ? await request.rewriteSetCookie(setCookies) : []
  return rewritten.length ? { 'set-cookie': rewritten } : {}
}
