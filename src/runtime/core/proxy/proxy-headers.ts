/** Headers as Node gives them: lower-cased names, repeated ones as arrays. */
export type HeaderRecord = Record<string, string | string[] | undefined>

/**
 * Request headers the browser may pass to the CMS: content negotiation, the body's description,
 * conditional and range requests. Everything else (Authorization, Cookie, X-Forwarded-*, vendor
 * credential headers…) is dropped because it is not on this list.
 */
export const forwardedRequestHeaders: readonly string[] = [
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-encoding',
  'content-language',
  'content-type',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'range',
]

/**
 * Response headers the browser gets back. `Set-Cookie` (a CMS session that is not the browser's
 * business in these modes) and `Location` (it names the upstream host) are not on it.
 */
export const forwardedResponseHeaders: readonly string[] = [
  'accept-ranges',
  'age',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expires',
  'last-modified',
  'retry-after',
  'vary',
]

/** RFC 9110 §7.6.1 plus the old proxy ones: they describe one connection, never the next hop. */
export const hopByHopHeaders: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]

/** Headers that carry a credential of some kind; never forwardable through `forwardHeaders`. */
export const credentialHeaders: readonly string[] = [
  'authorization',
  'cookie',
  'proxy-authorization',
  'set-cookie',
  'x-api-key',
  'api-key',
]

/**
 * Copies the allowed headers of one side to the other, once each. Headers the sender listed in
 * `Connection` are hop-by-hop for that connection, so they are dropped even if allowed.
 */
export function pickHeaders(headers: HeaderRecord, allowed: ReadonlySet<string>): Record<string, string> {
  const connection = headers.connection
  const connectionScoped = typeof connection === 'string' ? new Set(connection.toLowerCase().split(',').map((token: string) => token.trim())) : undefined
  const picked: Record<string, string> = {}
  for (const name in headers) {
    const lower = name.toLowerCase()
    const value = headers[name]
    if (value === undefined || !allowed.has(lower) || connectionScoped?.has(lower))
      continue
    picked[lower] = Array.isArray(value) ? value.join(', ') : value
  }
  return picked
}
