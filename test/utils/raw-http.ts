import { connect, createServer } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export interface RawRequest {
  method?: string
  /** Sent exactly as given: no URL parser normalises `..`, `//` or backslashes on the way. */
  target: string
  headers?: Record<string, string>
  body?: Buffer | string
  /** Send the body with `Transfer-Encoding: chunked` and no Content-Length. */
  chunked?: boolean
}

/** One HTTP/1.1 request over a plain socket, so tests control every byte of the request line. */
export function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body)
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...request.headers }
  if (body && request.chunked)
    headers['transfer-encoding'] = 'chunked'
  else if (body && !headers['content-length'])
    headers['content-length'] = String(body.length)
  const head = `${request.method ?? 'GET'} ${request.target} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', chunk => chunks.push(chunk))
    socket.on('error', (error) => {
      // The server may close early (e.g. after a 413); what it sent before still counts.
      if (chunks.length)
        socket.emit('close')
      else
        reject(error)
    })
    socket.once('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)))
      }
      catch (error) {
        reject(error)
      }
    })
    socket.write(head)
    if (body && request.chunked) {
      for (let offset = 0; offset < body.length; offset += 16 * 1024) {
        const piece = body.subarray(offset, offset + 16 * 1024)
        socket.write(`${piece.length.toString(16)}\r\n`)
        socket.write(piece)
        socket.write('\r\n')
      }
      socket.write('0\r\n\r\n')
    }
    else if (body) {
      socket.write(body)
    }
  })
}

function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n')
  if (end === -1)
    throw new Error(`incomplete response: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`)
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value
  }
  let body = raw.subarray(end + 4)
  if (headers['transfer-encoding'] === 'chunked')
    body = dechunk(body)
  return { status: Number(statusLine!.split(' ')[1]), headers, body }
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset)
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16)
    if (!size)
      break
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}

/** A port nothing listens on right now, for servers the test starts itself. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}
