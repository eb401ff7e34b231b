/**
 * Whether a browser sent this request on behalf of another site. `Sec-Fetch-Site` is set by the
 * browser itself and cannot be forged by page scripts; older browsers only send `Origin`, which
 * is compared with the `Host` the request was sent to. A request with neither header did not
 * come from a web page (curl, a server), and such a caller could send any header anyway.
 */
export function isCrossOriginRequest(headers: { 'sec-fetch-site'?: string, 'origin'?: string, 'host'?: string }): boolean {
  const site = headers['sec-fetch-site']
  if (site)
    return site !== 'same-origin' && site !== 'none'
  const origin = headers.origin
  if (!origin)
    return false
  if (origin === 'null')
    return true
  try {
    return new URL(origin).host !== headers.host
  }
  catch {
    return true
  }
}
