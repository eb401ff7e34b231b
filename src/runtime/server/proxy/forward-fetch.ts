import type { H3Event } from 'h3'
import { getRequestWebStream, readRawBody, sendStream, setResponseHeaders, setResponseStatus } from 'h3'
import { useNitroApp } from 'nitropack/runtime'
import { pickHeaders } from '../../core/proxy/proxy-headers'
import type { HeaderRecord } from '../../core/proxy/proxy-headers'
import { endResponse } from './h3-request'
import type { ProxyApi } from './proxy-config'
import { sendProxyError } from './proxy-error'
import type { HeldResponse, HoldResponse, UpstreamRequest } from './upstream'
import { firstPartyCookies, holdLimit, readUpTo } from './upstream'

/**
 * The web-standard path of the transport seam (transport.ts): `fetch` to the CMS, for requests
 * that did not arrive on a Node socket (Bun, Deno, workerd, Netlify, Vercel…). The response
 * streams back through h3's `sendStream`; no response headers within `timeout` ms is a 504, and
 * a body that then stops arriving for `timeout` ms is cut. The CMS is asked for an uncompressed
 * body: `fetch` decompresses what it receives, so a compressed one could not pass byte for byte.
 */
export async function forwardWithFetch(event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse): Promise<HeldResponse | undefined> {
  const controller = new AbortController()
  let timedOut = false
  const headerTimer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, api.timeout)
  const { 'accept-encoding': _encoding, ...headers } = request.headers
  const streaming = request.body === 'stream'
  let response: Response
  try {
    response = await fetch(api.baseURL + request.pathAndQuery, {
      method: request.method,
      // Said explicitly: fetch would otherwise ask for gzip itself, and the response cache stores
      // only bodies whose length it knows before reading them.
      headers: { ...headers, 'accept-encoding': 'identity' },
      body: streaming ? getRequestWebStream(event) : request.body,
      redirect: 'manual',
      signal: controller.signal,
      // A streamed request body (web fetch requires saying so).
      ...(streaming ? { duplex: 'half' } : {}),
    } as RequestInit)
  }
  catch {
    clearTimeout(headerTimer)
    if (timedOut)
      sendProxyError(event, 504, `The CMS did not answer within ${api.timeout} ms.`)
    else
      sendProxyError(event, 502, 'The CMS could not be reached.')
    return undefined
  }
  clearTimeout(headerTimer)
  const received = headerRecord(response.headers)
  const wanted = hold?.(response.status, name => response.headers.get(name) ?? undefined)
  if (wanted) {
    const body = await readUpTo(cutWhenStalled(response.body, api.timeout, controller), holdLimit(wanted)).catch(() => undefined)
    if (body instanceof Uint8Array)
      return { status: response.status, headers: received, body, allowed: api.responseHeaders }
    if (!body) {
      sendProxyError(event, 502, 'The CMS connection failed mid-response.')
      return undefined
    }
    // Longer than the caller holds: it goes on as any answer, from its first byte.
    response = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
  const cookies = await firstPartyCookies(request, response.headers.getSetCookie()).catch(() => undefined)
  if (!cookies) {
    controller.abort()
    sendProxyError(event, 502, 'The CMS set a cookie this proxy could not keep.')
    return undefined
  }
  // A small body of known length goes out as one buffer: the runtime's response then carries
  // bytes rather than a JS stream it must pull chunk by chunk (what made this path slower than
  // h3's proxyRequest under Bun). Not all here within `timeout` ms, it is a failed answer.
  const whole = response.body && Number(received['content-length']) <= WHOLE_BODY_BYTES
    ? await readWithin(response, api.timeout, controller)
    : undefined
  if (whole === 'failed') {
    sendProxyError(event, 502, 'The CMS connection failed mid-response.')
    return undefined
  }
  setResponseStatus(event, response.status)
  setResponseHeaders(event, { ...pickHeaders(received, api.responseHeaders), ...request.responseHeaders, ...cookies })
  if (whole || !response.body) {
    endResponse(event, whole)
    return undefined
  }
  await sendStream(event, cutWhenStalled(response.body, api.timeout, controller))
  return undefined
}

// Most CMS answers (a page of entries as JSON) are well below this; larger ones stream.
const WHOLE_BODY_BYTES = 64 * 1024

async function readWithin(response: Response, timeout: number, controller: AbortController): Promise<Uint8Array | 'failed'> {
  const timer = setTimeout(() => controller.abort(), timeout)
  try {
    return new Uint8Array(await response.arrayBuffer())
  }
  catch {
    return 'failed'
  }
  finally {
    clearTimeout(timer)
  }
}

/**
 * For a base URL served by this app (`/mock-cms/…`): Nitro's in-process fetch, so the secret
 * never leaves the process and no host is ever derived from the incoming request. In-process
 * responses are buffered by Nitro, so this path does not stream.
 */
export async function forwardInProcess(event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse): Promise<HeldResponse | undefined> {
  const body = request.body === 'stream' ? await readRawBody(event, false) : request.body
  const response = await useNitroApp().localFetch(api.baseURL + request.pathAndQuery, {
    method: request.method,
    headers: request.headers,
    body: body as BodyInit | undefined,
    signal: AbortSignal.timeout(api.timeout),
  }).catch(() => undefined)
  if (!response) {
    sendProxyError(event, 504, `The CMS did not answer within ${api.timeout} ms.`)
    return undefined
  }
  const payload = new Uint8Array(await response.arrayBuffer())
  const received = headerRecord(response.headers)
  const wanted = hold?.(response.status, name => response.headers.get(name) ?? undefined)
  if (wanted && payload.length <= holdLimit(wanted))
    return { status: response.status, headers: received, body: payload, allowed: api.responseHeaders }
  setResponseStatus(event, response.status)
  setResponseHeaders(event, { ...pickHeaders(received, api.responseHeaders), ...request.responseHeaders, ...await firstPartyCookies(request, response.headers.getSetCookie()) })
  endResponse(event, payload)
  return undefined
}

/**
 * The event-less form of both paths above (transport.ts `fetchHeld`): `fetch`, or Nitro's local
 * fetch for a base URL this app serves, with the same deadlines; nothing is sent to any client.
 * Resolves to the answer `hold` kept, or `undefined` (not wanted, longer than held, failed).
 */
export async function holdWithFetch(api: ProxyApi, request: UpstreamRequest & { body: Uint8Array | undefined }, hold: HoldResponse): Promise<HeldResponse | undefined> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), api.timeout)
  const init: RequestInit = { method: request.method, headers: request.headers, body: request.body as BodyInit | undefined, redirect: 'manual', signal: controller.signal }
  const url = api.baseURL + request.pathAndQuery
  try {
    const response = api.upstream
      ? await fetch(url, { ...init, headers: { ...request.headers, 'accept-encoding': 'identity' } })
      : await useNitroApp().localFetch(url, init)
    clearTimeout(timer)
    const wanted = hold(response.status, name => response.headers.get(name) ?? undefined)
    const body = wanted ? await readUpTo(cutWhenStalled(response.body, api.timeout, controller), holdLimit(wanted)) : undefined
    if (body instanceof Uint8Array)
      return { status: response.status, headers: headerRecord(response.headers), body, allowed: api.responseHeaders }
    // Not kept: the rest of the body is not read.
    controller.abort()
    return undefined
  }
  catch {
    return undefined
  }
  finally {
    clearTimeout(timer)
  }
}

/** Web headers as Node shapes them: lower-case names, `set-cookie` as its list. */
function headerRecord(headers: Headers): HeaderRecord {
  const record: HeaderRecord = Object.fromEntries(headers)
  const setCookies = headers.getSetCookie()
  if (setCookies.length)
    record['set-cookie'] = setCookies
  // fetch has decoded a compressed body (a CMS that ignored the request for identity).
  if (record['content-encoding']) {
    delete record['content-encoding']
    delete record['content-length']
  }
  return record
}

/**
 * `body` with a stall guard: only time spent waiting for the CMS's next chunk counts (a client
 * too slow to read does not pull, so it never looks like a stall); past `timeout` ms the upstream
 * request is aborted and the stream errors. A consumer that cancels (the client went away)
 * aborts the upstream request too.
 */
function cutWhenStalled(body: ReadableStream<Uint8Array> | null, timeout: number, controller: AbortController): ReadableStream<Uint8Array> {
  const reader = body?.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(out) {
      if (!reader)
        return out.close()
      const timer = setTimeout(() => controller.abort(), timeout)
      try {
        const { done, value } = await reader.read()
        if (done)
          out.close()
        else
          out.enqueue(value)
      }
      catch (error) {
        out.error(error)
      }
      finally {
        clearTimeout(timer)
      }
    },
    cancel(reason) {
      controller.abort()
      return reader?.cancel(reason)
    },
  })
}
