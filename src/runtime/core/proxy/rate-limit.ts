import { addressBytes } from './ip-match'

export interface RateLimit {
  /** Requests per client per window. */
  limit: number
  /** Window length in seconds. */
  window: number
  /**
   * Who a client is: its address (an IPv4 address, an IPv6 /64), or, for APIs whose session the
   * server holds, the session (requests without one count by address). @default 'address'
   */
  by?: 'address' | 'session'
}

export interface RateLimitWindow {
  /** Storage key of the current window's counter. */
  key: string
  /** Seconds until the window ends (at least 1), for `RateLimit-Reset` and the counter's TTL. */
  resetIn: number
}

/**
 * Fixed windows aligned on the epoch, so every server instance puts the same request in the
 * same window and one shared counter per window is enough.
 */
export function currentWindow(limit: RateLimit, scope: string, now: number): RateLimitWindow {
  const windowMs = limit.window * 1000
  const start = Math.floor(now / windowMs) * windowMs
  return { key: `${scope}:${start}`, resetIn: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) }
}

export interface RateLimitVerdict {
  allowed: boolean
  headers: Record<string, string>
}

/** What the `count`-th request of a window gets: the IETF `RateLimit-*` headers, and `Retry-After` once over. */
export function rateLimitVerdict(limit: RateLimit, count: number, resetIn: number): RateLimitVerdict {
  const allowed = count <= limit.limit
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(limit.limit),
    'RateLimit-Remaining': String(Math.max(0, limit.limit - count)),
    'RateLimit-Reset': String(resetIn),
  }
  if (!allowed)
    headers['Retry-After'] = String(resetIn)
  return { allowed, headers }
}

/**
 * Whose counter a request goes on. An IPv6 client usually controls a whole /64 and can rotate
 * addresses inside it, so IPv6 addresses count per /64; IPv4 (also IPv4-mapped) per address.
 */
export function rateLimitClient(address: string | undefined): string {
  const parsed = address ? addressBytes(address) : null
  if (!parsed)
    return 'unknown'
  const { kind, bytes } = parsed
  if (kind === 'ipv4')
    return bytes.join('.')
  return `${[0, 2, 4, 6].map(index => ((bytes[index]! << 8) | bytes[index + 1]!).toString(16)).join(':')}::/64`
}
