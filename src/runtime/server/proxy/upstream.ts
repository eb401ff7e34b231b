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

/** Decides, from the status and headers, whether to keep the response back; it sees every response. */
export type HoldResponse = (status: number, header: (name: string) => string | undefined) => boolean

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
