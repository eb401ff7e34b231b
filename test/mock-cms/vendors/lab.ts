import { createHash } from 'node:crypto'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { createRouter, defineEventHandler, getHeader, getQuery, getRequestHeaders, readRawBody, setResponseHeader, setResponseStatus } from 'h3'
import { blogs } from '../content'
import type { MockCmsState } from '../state'
import { count } from '../state'

/** 256 bytes, every value once: a body that any text decoding or re-encoding would change. */
export const binaryBody = Buffer.from(Array.from({ length: 256 }, (_, index) => index))
export const gzipBody = gzipSync(Buffer.from(JSON.stringify({ compressed: true, padding: 'x'.repeat(2000) })))

/** Byte `i` of a `/lab/bytes` body, so a client can check a large stream without holding it. */
export function labByte(index: number): number {
  return (index * 31 + 7) & 0xFF
}

/**
 * Endpoints the proxy tests and benchmark need, not modelled on one vendor: an echo of what
 * arrived, large, binary, compressed, slow and dripping bodies, and a microCMS-style service
 * whose write key may POST `/inquiries` (the recommended server-side use of a write key).
 */
export function labRouter(state: MockCmsState, writeKey: () => string) {
  const router = createRouter()

  router.use('/echo/**', defineEventHandler(async (event) => {
    const body = ['GET', 'HEAD'].includes(event.method) ? undefined : await readRawBody(event, false)
    // Headers the proxy must drop on the way back; the tests check they never arrive.
    setResponseHeader(event, 'set-cookie', ['cms_session=upstream-secret; Path=/; HttpOnly'])
    setResponseHeader(event, 'location', 'http://upstream.invalid/moved')
    setResponseHeader(event, 'x-powered-by', 'mock-cms')
    // Custom headers a CMS documents (request ids, totals): passed on only when allow-listed.
    setResponseHeader(event, 'x-request-id', 'req-1')
    setResponseHeader(event, 'x-total-count', '42')
    setResponseHeader(event, 'x-rcms-ratelimit-remaining', '99')
    return {
      method: event.method,
      path: event.path,
      headers: getRequestHeaders(event),
      bodyLength: body?.length ?? 0,
      bodySha256: body ? createHash('sha256').update(body).digest('hex') : null,
    }
  }))

  // A CMS's not-found page that quotes the URL it was asked, query (and a key in it) included,
  // as HTML-escaped text, optionally compressed: the proxy must not pass the key on.
  router.get('/quote/**', defineEventHandler((event) => {
    const encoding = String(getQuery(event).encoding ?? '')
    const page = Buffer.from(`<h1>Not Found</h1><p>No route for ${event.path.replace(/&/g, '&amp;')}</p><pre>${JSON.stringify({ url: event.path })}</pre>`)
    setResponseStatus(event, 404)
    setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
    if (!encoding)
      return page
    setResponseHeader(event, 'content-encoding', encoding)
    return encoding === 'br' ? brotliCompressSync(page) : gzipSync(page)
  }))

  router.get('/bytes', defineEventHandler((event) => {
    const size = Math.min(Number(getQuery(event).size ?? 1024), 1024 ** 3)
    const res = event.node.res
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) })
    const chunk = Buffer.alloc(64 * 1024)
    let sent = 0
    const write = () => {
      while (sent < size) {
        const length = Math.min(chunk.length, size - sent)
        for (let index = 0; index < length; index++)
          chunk[index] = labByte(sent + index)
        sent += length
        if (!res.write(length === chunk.length ? chunk : chunk.subarray(0, length)))
          return void res.once('drain', write)
      }
      res.end()
    }
    write()
    return new Promise<void>(resolve => res.once('close', () => resolve()))
  }))

  router.get('/binary', defineEventHandler((event) => {
    setResponseHeader(event, 'content-type', 'application/octet-stream')
    return binaryBody
  }))

  router.get('/gzip', defineEventHandler((event) => {
    setResponseHeader(event, 'content-type', 'application/json')
    setResponseHeader(event, 'content-encoding', 'gzip')
    return gzipBody
  }))

  router.get('/slow', defineEventHandler(async (event) => {
    await new Promise(resolve => setTimeout(resolve, Number(getQuery(event).ms ?? 1000)))
    return { slow: true }
  }))

  // Sends its headers and one chunk, then nothing for `ms` (a CMS hung mid-response); with
  // `?declared`, a Content-Length for more than that chunk (a small body the proxy reads whole).
  router.get('/stall', defineEventHandler((event) => {
    const res = event.node.res
    res.writeHead(200, { 'content-type': 'text/plain', ...(getQuery(event).declared !== undefined ? { 'content-length': '23' } : {}) })
    res.write('first chunk\n')
    const timer = setTimeout(() => res.end('late chunk\n'), Number(getQuery(event).ms ?? 5000))
    return new Promise<void>(resolve => res.once('close', () => {
      clearTimeout(timer)
      if (!res.writableFinished)
        count(state, 'lab.stall.cut')
      resolve()
    }))
  }))

  // Writes a chunk every 50 ms for 10 s and counts whether the client went away first.
  router.get('/drip', defineEventHandler((event) => {
    count(state, 'lab.drip.started')
    const res = event.node.res
    res.writeHead(200, { 'content-type': 'text/plain' })
    let sent = 0
    const timer = setInterval(() => {
      res.write(`chunk ${sent++}\n`)
      if (sent === 200) {
        clearInterval(timer)
        res.end()
      }
    }, 50)
    return new Promise<void>(resolve => res.once('close', () => {
      clearInterval(timer)
      if (!res.writableFinished)
        count(state, 'lab.drip.aborted')
      resolve()
    }))
  }))

  router.use('/microcms/api/v1/:endpoint', defineEventHandler(async (event) => {
    if (getHeader(event, 'x-microcms-api-key') !== writeKey()) {
      setResponseStatus(event, 401)
      return { message: 'X-MICROCMS-API-KEY header is invalid.' }
    }
    const endpoint = event.context.params?.endpoint
    if (endpoint === 'blogs' && event.method === 'GET')
      return { contents: blogs, totalCount: blogs.length, offset: 0, limit: 10 }
    if (endpoint === 'inquiries' && event.method === 'POST') {
      count(state, 'lab.inquiries')
      await readRawBody(event)
      setResponseStatus(event, 201)
      return { id: `inquiry-${state.counters['lab.inquiries']}` }
    }
    setResponseStatus(event, 400)
    return { message: `${event.method} is forbidden.` }
  }))

  return router
}
