/**
 * What every webhook verifier shares: HMAC with Web Crypto (every Nitro runtime has
 * `crypto.subtle`), hex and base64 encodings. Signatures are compared with `secretsMatch`
 * (core/preview/preview-link.ts): hashed first, so neither their lengths nor where they differ
 * show in the time taken.
 */

export type HmacAlgorithm = 'SHA-1' | 'SHA-256'

const encoder = new TextEncoder()

export async function hmac(algorithm: HmacAlgorithm, secret: string, data: Uint8Array | string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: algorithm }, false, ['sign'])
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes as BufferSource))
}

export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes)
    hex += byte.toString(16).padStart(2, '0')
  return hex
}

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes)
    binary += String.fromCharCode(byte)
  return btoa(binary)
}
