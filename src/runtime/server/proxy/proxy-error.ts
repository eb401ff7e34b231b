import type { H3Event } from 'h3'
import { setResponseHeaders, setResponseStatus } from 'h3'
import { cutResponse, endResponse, responseStarted } from './h3-request'

/**
 * Ends a proxy request with a JSON `{ statusCode, message }`. Messages are written by this
 * module, never copied from upstream errors, so they cannot carry the secret or the CMS URL.
 */
export function sendProxyError(event: H3Event, statusCode: number, message: string, headers: Record<string, string> = {}): void {
  // Mid-stream there is no status left to send: cut the response so the client sees it failed.
  if (responseStarted(event))
    return cutResponse(event)
  const body = new TextEncoder().encode(JSON.stringify({ statusCode, message }))
  setResponseStatus(event, statusCode)
  setResponseHeaders(event, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
  })
  endResponse(event, body)
}
