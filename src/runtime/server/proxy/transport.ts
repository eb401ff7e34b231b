import type { H3Event } from 'h3'
import { forwardInProcess, forwardWithFetch, holdWithFetch } from './forward-fetch'
import type * as NodeTransport from './forward-node'
import { isStandInRequest } from './h3-request'
import type { ProxyApi } from './proxy-config'
import { redactSecrets, REDACTED } from '../../core/proxy/redact-secrets'
import type { HeldResponse, HoldResponse, UpstreamRequest } from './upstream'
import { sendHeldResponse } from './upstream'

type Forward = (event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse) => Promise<HeldResponse | undefined>

let nodeForward: Promise<typeof NodeTransport> | undefined
let loadedNodeForward: typeof NodeTransport.forwardWithNode | undefined

/**
 * The one seam between the proxy pipeline and the network. A request that came in on a real Node
 * socket goes out through `node:http` with keep-alive (forward-node.ts, loaded only then: the
 * fastest path on Node, measured in bench/proxy); every other request through web `fetch`
 * (forward-fetch.ts), which Bun, Deno, workerd and edge runtimes all have. A base URL this app
 * serves itself goes through Nitro's local fetch. Each sends the response itself, or hands it
 * back held when `hold` says so.
 */
export const forward: Forward = async (event, api, request, hold) => {
  if (!api.secretSpellings.length)
    return send(event, api, request, hold)
  // An error answer may quote the request, secret included (core/proxy/redact-secrets.ts): it is
  // held, searched and cleaned before it goes anywhere. Success bodies stream untouched.
  let callerHolds = false
  request.headers['accept-encoding'] &&= checkableEncodings(request.headers['accept-encoding'])
  const held = await send(event, api, request, (status, header) => {
    const wanted = hold?.(status, header) ?? false
    callerHolds = Boolean(wanted)
    return status >= 400 || wanted
  })
  if (!held)
    return undefined
  // A success the caller held (a cache fill, a session's replay check) goes back as it came.
  if (held.status < 400)
    return held
  const cleaned = await withoutSecrets(held, api.secretSpellings)
  if (callerHolds)
    return cleaned
  sendHeldResponse(event, cleaned, request.responseHeaders)
  return undefined
}

const send: Forward = async (event, api, request, hold) => {
  if (!api.upstream)
    return forwardInProcess(event, api, request, hold)
  if (isStandInRequest(event))
    return forwardWithFetch(event, api, request, hold)
  if (loadedNodeForward)
    return loadedNodeForward(event, api, request, hold)
  loadedNodeForward = (await nodeTransport()).forwardWithNode
  return loadedNodeForward(event, api, request, hold)
}

/**
 * The seam's event-less entry, for a request no visitor waits on (stale-while-revalidate's
 * background refresh): the same transport the visitor's request `from` would take (only read to
 * choose it, never answered), nothing sent anywhere. Resolves to the answer `hold` kept, or
 * `undefined`; an answer not kept is dropped unread, so no error body (which may quote the
 * secret) ever leaves it.
 */
export async function fetchHeld(from: H3Event, api: ProxyApi, request: UpstreamRequest & { body: Uint8Array | undefined }, hold: HoldResponse): Promise<HeldResponse | undefined> {
  if (!api.upstream || isStandInRequest(from))
    return holdWithFetch(api, request, hold)
  return (await nodeTransport()).holdWithNode(api, request, hold)
}

// register-proxy.ts points this alias at forward-node.ts, or at a stub where the preset has no Node.
// @ts-ignore: a Nitro alias, resolved at build time
const nodeTransport = (): Promise<typeof NodeTransport> => nodeForward ||= import('#cms-auth-node-forward')

/** The encodings DecompressionStream reads everywhere (no Brotli on every runtime): what an error body may come in. */
function checkableEncodings(accepted: string): string {
  const kept = accepted.split(',').map(part => part.trim()).filter(part => /^(?:gzip|deflate|identity)(?:;|$)/i.test(part))
  return kept.join(', ') || 'identity'
}

async function withoutSecrets(held: HeldResponse, spellings: string[]): Promise<HeldResponse> {
  const { 'content-encoding': encoding, 'content-length': _length, ...headers } = held.headers
  const format = [encoding].flat()[0]?.toLowerCase()
  const body = !format || format === 'identity'
    ? held.body
    : format === 'gzip' || format === 'x-gzip' || format === 'deflate'
      ? await decompress(held.body, format === 'deflate' ? 'deflate' : 'gzip').catch(() => undefined)
      : undefined
  // Bytes this proxy cannot read cannot be checked: the CMS's status goes on, its body does not.
  const text = body ?? new TextEncoder().encode(JSON.stringify({ statusCode: held.status, message: `The CMS answered ${held.status} in an encoding this proxy cannot check for the API's secret (${REDACTED}).` }))
  if (!body)
    headers['content-type'] = 'application/json; charset=utf-8'
  return { ...held, headers, body: redactSecrets(text, spellings) ?? text }
}

async function decompress(bytes: Uint8Array, format: 'gzip' | 'deflate'): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream(format))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}
