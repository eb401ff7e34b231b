/**
 * How long a CMS's 429 asks the caller to wait, as a `Retry-After` value: its own `Retry-After`
 * when it sends one (Directus), else the `X-RateLimit-Reset` it sends instead (Strapi 5's login
 * limit answers with the reset time in epoch seconds and no Retry-After). A reset that is a small
 * number is read as seconds left, one in the epoch-milliseconds range as milliseconds.
 */
export function retryAfterOf(header: (name: string) => string | null | undefined, now: number): string | undefined {
  const given = header('retry-after')
  if (given)
    return given
  const reset = Number(header('x-ratelimit-reset'))
  if (!(reset > 0))
    return undefined
  const seconds = reset > 1e12 ? (reset - now) / 1000 : reset > 1e9 ? reset - now / 1000 : reset
  return String(Math.max(1, Math.ceil(seconds)))
}

/**
 * When (epoch ms) a `Retry-After` value lets the caller ask again: seconds from `now`, or an
 * HTTP date (RFC 9110 §10.2.3 allows both); `now + fallbackMs` for none or one that is neither.
 */
export function retryAt(value: string | undefined, now: number, fallbackMs = 1000): number {
  if (value !== undefined && /^\s*\d+\s*$/.test(value))
    return now + Number(value) * 1000
  const date = value === undefined ? Number.NaN : Date.parse(value)
  return Number.isNaN(date) ? now + fallbackMs : Math.max(now, date)
}
