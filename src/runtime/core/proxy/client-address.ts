import type { AddressRange } from './ip-match'
import { isAddressAllowed } from './ip-match'

/** What a request says about where it came from; each is `undefined` when absent. */
export interface AddressEvidence {
  /** The TCP peer, only when the request arrived on a real socket. */
  socket?: string
  forwardedFor?: string | string[]
  /** The API's `clientAddressHeader`, when it names one and the request carries it. */
  platformHeader?: string | string[]
}

/**
 * The address a request came from, or `undefined` when nothing trustworthy says. With a socket,
 * `X-Forwarded-For` (or the named platform header) is read only when the peer is a trusted
 * proxy, from the right: each hop appended by a trusted proxy is skipped, and the first untrusted
 * hop is the client, so anything a client writes further left changes nothing. Without a socket
 * (Bun, Deno, Netlify, Cloudflare… hand requests to Nitro without one) only the header the user
 * named as set by their host counts; its last entry is the one the nearest hop wrote.
 */
export function resolveClientAddress(evidence: AddressEvidence, trustedProxies: readonly AddressRange[], useHeader: boolean): string | undefined {
  const { socket } = evidence
  if (socket === undefined)
    return useHeader ? lastAddress(evidence.platformHeader) : undefined
  if (!trustedProxies.length || !isAddressAllowed(socket, trustedProxies))
    return socket
  if (useHeader)
    return lastAddress(evidence.platformHeader) ?? socket
  return fromForwardedFor(socket, evidence.forwardedFor, trustedProxies)
}

function fromForwardedFor(socket: string, forwardedFor: string | string[] | undefined, trustedProxies: readonly AddressRange[]): string {
  if (!forwardedFor)
    return socket
  const hops = [forwardedFor].flat().join(',').split(',').map(hop => hop.trim())
  let client = socket
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!
    // A malformed hop was written by whoever the last trusted proxy talked to: stop there.
    if (!isIpAddress(hop))
      return client
    client = hop
    if (!isAddressAllowed(hop, trustedProxies))
      return hop
  }
  return client
}

function lastAddress(header: string | string[] | undefined): string | undefined {
  if (header === undefined)
    return undefined
  const last = [header].flat().join(',').split(',').pop()!.trim()
  return isIpAddress(last) ? last : undefined
}

const isIpAddress = (text: string): boolean => isAddressAllowed(text, [ANY_V4, ANY_V6])

const ANY_V4: AddressRange = { kind: 'ipv4', first: [0, 0, 0, 0], last: [255, 255, 255, 255] }
const ANY_V6: AddressRange = { kind: 'ipv6', first: Array.from({ length: 16 }, () => 0), last: Array.from({ length: 16 }, () => 255) }
