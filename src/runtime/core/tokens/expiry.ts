/** Below this, a number is a lifetime (TTL); between the two, epoch seconds; above, epoch ms. */
const EPOCH_SECONDS_FROM = 1e9 // 2001-09-09 in seconds
const EPOCH_MS_FROM = 1e12 // 2001-09-09 in milliseconds
// The Date header has one-second resolution and arrives after latency: smaller gaps are noise.
const SKEW_NOISE_MS = 2000

export interface ExpiryContext {
  /** This machine's time when the response arrived (epoch ms). */
  now?: number
  /** The response's `Date` header: absolute expiry times are on the server's clock. */
  serverDate?: string | null
  /** Unit of a lifetime (TTL) value. @default 'ms' (Directus `expires`) */
  ttlUnit?: 'ms' | 's'
  /** The value is always a lifetime, however large (Directus `expires`), never a date. */
  relative?: boolean
}

/**
 * Turns whatever a CMS says about expiry (epoch seconds, epoch ms, an ISO-8601 string, or a TTL)
 * into epoch ms on this machine's clock; `undefined` when it says nothing usable.
 */
export function normalizeExpiry(value: unknown, context: ExpiryContext = {}): number | undefined {
  const now = context.now ?? Date.now()
  const number = typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value
  if (typeof number === 'number') {
    if (!Number.isFinite(number) || number < 0)
      return undefined
    if (context.relative || number < EPOCH_SECONDS_FROM)
      return now + number * (context.ttlUnit === 's' ? 1000 : 1)
    if (number >= EPOCH_MS_FROM)
      return toLocalClock(number, now, context.serverDate)
    return toLocalClock(number * 1000, now, context.serverDate)
  }
  if (typeof number === 'string') {
    const time = Date.parse(number)
    return Number.isNaN(time) ? undefined : toLocalClock(time, now, context.serverDate)
  }
  return undefined
}

/** The claims of a JWT (its payload), or `undefined` for a token that is not one. */
function jwtClaims(token: string | undefined): { exp?: unknown, iat?: unknown } | undefined {
  try {
    return JSON.parse(atob(token!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))
  }
  catch {
    return undefined
  }
}

/** The `exp` claim of a JWT, normalised like any other expiry; `undefined` for other tokens. */
export function jwtExpiry(token: string | undefined, context: ExpiryContext = {}): number | undefined {
  const exp = jwtClaims(token)?.exp
  return typeof exp === 'number' ? normalizeExpiry(exp, context) : undefined
}

/**
 * When a JWT's `exp` lies `exp − iat` after issue, that lifetime counted from `now` (epoch ms);
 * `undefined` for other tokens. Clock-independent, for when the CMS's clock cannot be trusted.
 */
export function jwtLifetimeEnd(token: string | undefined, now: number): number | undefined {
  const { exp, iat } = jwtClaims(token) ?? {}
  return typeof exp === 'number' && typeof iat === 'number' && exp > iat ? now + (exp - iat) * 1000 : undefined
}

function toLocalClock(serverTime: number, now: number, serverDate: string | null | undefined): number {
  const serverNow = serverDate ? Date.parse(serverDate) : Number.NaN
  const skew = serverNow - now
  return Math.abs(skew) >= SKEW_NOISE_MS ? serverTime - skew : serverTime
}
