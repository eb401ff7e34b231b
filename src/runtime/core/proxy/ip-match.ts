import ipaddr from 'ipaddr.js'

type Address = ipaddr.IPv4 | ipaddr.IPv6

/** One entry of an address list, compiled once: a byte range of one family. */
export interface AddressRange {
  kind: 'ipv4' | 'ipv6'
  first: number[]
  last: number[]
}

/** IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports) is its IPv4 address. */
function parseAddress(text: string): Address | undefined {
  if (!ipaddr.isValid(text))
    return undefined
  return ipaddr.process(text)
}

// The same few addresses (a client, its proxies) are judged several times per request and again
// on the next one: remember their bytes rather than parse them each time.
const parsedBytes = new Map<string, { kind: 'ipv4' | 'ipv6', bytes: number[] } | null>()

/** An address's family and bytes (IPv4-mapped IPv6 as IPv4), or null when it is no address; remembered. */
export function addressBytes(text: string): { kind: 'ipv4' | 'ipv6', bytes: number[] } | null {
  let known = parsedBytes.get(text)
  if (known === undefined) {
    const parsed = parseAddress(text)
    known = parsed ? { kind: parsed.kind(), bytes: parsed.toByteArray() } : null
    if (parsedBytes.size >= 4096)
      parsedBytes.clear()
    parsedBytes.set(text, known)
  }
  return known
}

function rangeOfCidr(text: string): AddressRange | undefined {
  if (!ipaddr.isValidCIDR(text))
    return undefined
  let [address, bits] = ipaddr.parseCIDR(text)
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    address = (address as ipaddr.IPv6).toIPv4Address()
    bits -= 96
  }
  const bytes = address.toByteArray()
  const first = bytes.map((byte, index) => byte & maskByte(bits, index))
  const last = bytes.map((byte, index) => (byte & maskByte(bits, index)) | (~maskByte(bits, index) & 0xFF))
  return { kind: address.kind(), first, last }
}

function maskByte(bits: number, index: number): number {
  const left = Math.max(0, Math.min(8, bits - index * 8))
  return (0xFF << (8 - left)) & 0xFF
}

function compareBytes(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index++) {
    if (a[index] !== b[index])
      return a[index]! - b[index]!
  }
  return 0
}

/**
 * Parses one allow-list entry: a single address, a CIDR block (`192.0.2.0/24`) or an inclusive
 * range (`192.0.2.1-192.0.2.9`, as Kuroco writes them). `undefined` when it is none of these.
 */
export function parseAddressRange(entry: string): AddressRange | undefined {
  const text = entry.trim()
  if (text.includes('/'))
    return rangeOfCidr(text)
  const dash = text.indexOf('-')
  if (dash === -1) {
    const address = parseAddress(text)
    return address && { kind: address.kind(), first: address.toByteArray(), last: address.toByteArray() }
  }
  const from = parseAddress(text.slice(0, dash).trim())
  const to = parseAddress(text.slice(dash + 1).trim())
  if (!from || !to || from.kind() !== to.kind() || compareBytes(from.toByteArray(), to.toByteArray()) > 0)
    return undefined
  return { kind: from.kind(), first: from.toByteArray(), last: to.toByteArray() }
}

/** Compiles a list once per server start; throws on an entry build-time validation let through. */
export function compileAddressList(entries: readonly string[]): AddressRange[] {
  return entries.map((entry) => {
    const range = parseAddressRange(entry)
    if (!range)
      throw new Error(`[nuxt-cms-auth] "${entry}" is not an IP address, CIDR block or a-b range`)
    return range
  })
}

/** Whether `address` (as a socket or X-Forwarded-For reports it) falls in one of `ranges`. */
export function isAddressAllowed(address: string | undefined, ranges: readonly AddressRange[]): boolean {
  const parsed = address ? addressBytes(address) : null
  if (!parsed)
    return false
  const { kind, bytes } = parsed
  return ranges.some(range => range.kind === kind && compareBytes(bytes, range.first) >= 0 && compareBytes(bytes, range.last) <= 0)
}
