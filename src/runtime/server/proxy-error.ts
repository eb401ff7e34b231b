import type { H3Event } from 'h3'

/**
 * Ends a proxy request with a JSON `{ statusCode, message }`. Messages are written by this
 * module, never copied from upstream errors, so they cannot carry the secret or the CMS URL.
 */
export function sendProxyError(event: H3Event, statusCode: number, message: string, headers: Record<string, string> = {}): void {
  const res = event.node.res
  if (res.headersSent || res.writableEnded) {
    // Mid-stream there is no status left to send: cut the response so the client sees it failed.
    res.destroy()
    return
  }
  const body = JSON.stringify({ statusCode, message })
  res.writeHead(statusCode, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  })
  res.end(body)
}
