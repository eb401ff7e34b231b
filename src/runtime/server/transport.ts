import type { H3Event } from 'h3'
import { setResponseHeaders, setResponseStatus } from 'h3'
import { pickHeaders } from '../core/proxy-headers'
import type { HeaderRecord } from '../core/proxy-headers'
import { forwardInProcess, forwardWithFetch } from './forward-fetch'
import type { forwardWithNode } from './forward-node'
import { endResponse, isStandInRequest } from './h3-request'
import type { ProxyApi } from './proxy-config'

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

type Forward = (event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse) => Promise<HeldResponse | undefined>

let nodeForward: Promise<{ forwardWithNode: typeof forwardWithNode }> | undefined
let loadedNodeForward: typeof forwardWithNode | undefined

/**
 * The one seam between the proxy pipeline and the network. A request that came in on a real Node
 * socket goes out through `node:http` with keep-alive (forward-node.ts, loaded only then: the
 * fastest path on Node, measured in bench/proxy); every other request through web `fetch`
 * (forward-fetch.ts), which Bun, Deno, workerd and edge runtimes all have. A base URL this app
 * serves itself goes through Nitro's local fetch. Each sends the response itself, or hands it
 * back held when `hold` says so.
 */
export const forward: Forward = async (event, api, request, hold) => {
  if (!api.upstream)
    return forwardInProcess(event, api, request, hold)
  if (isStandInRequest(event))
    return forwardWithFetch(event, api, request, hold)
  if (loadedNodeForward)
    return loadedNodeForward(event, api, request, hold)
  // register-proxy.ts points this alias at forward-node.ts, or at a stub where the preset has no Node.
  // @ts-ignore: a Nitro alias, resolved at build time
  nodeForward ||= import('#cms-auth-node-forward')
  loadedNodeForward = (await nodeForward).forwardWithNode
  return loadedNodeForward(event, api, request, hold)
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
