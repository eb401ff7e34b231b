import type { AddressRange } from './ip-match'
import { isAddressAllowed } from './ip-match'

/**
 * The address a request came from. `X-Forwarded-For` is read only when the socket peer is a
 * trusted proxy, and then from the right: each hop appended by a trusted proxy is skipped, and
 * the first untrusted hop is the client. Anything a client writes further left is ignored, so a
 * spoofed header changes nothing.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: readonly AddressRange[],
): string | undefined {
  if (!trustedProxies.length || !forwardedFor || !isAddressAllowed(socketAddress, trustedProxies))
    return socketAddress
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map(hop => hop.trim())
  let client = socketAddress
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!
    // A malformed hop was written by whoever the last trusted proxy talked to: stop there.
    if (!isAddressAllowed(hop, [ANY_V4, ANY_V6]))
      return client
    client = hop
    if (!isAddressAllowed(hop, trustedProxies))
      return hop
  }
  return client
}

const ANY_V4: AddressRange = { kind: 'ipv4', first: [0, 0, 0, 0], last: [255, 255, 255, 255] }
const ANY_V6: AddressRange = { kind: 'ipv6', first: Array.from({ length: 16 }, () => 0), last: Array.from({ length: 16 }, () => 255) }
