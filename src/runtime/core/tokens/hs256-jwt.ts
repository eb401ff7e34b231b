/**
 * An HS256 JSON Web Token signed with Web Crypto: the same code on every Nitro preset (Node, Bun,
 * Deno, workerd, edge functions), no `node:` import. Server use only: the key is a secret.
 */
export async function signHs256Jwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: Uint8Array): Promise<string> {
  const encoder = new TextEncoder()
  const input = `${base64url(encoder.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...header })))}.${base64url(encoder.encode(JSON.stringify(claims)))}`
  const hmac = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return `${input}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', hmac, encoder.encode(input))))}`
}

/** The bytes of a hex string, or `undefined` when it is not one (odd length, other characters). */
export function hexBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 || !/^[0-9a-f]*$/i.test(hex))
    return undefined
  return Uint8Array.from({ length: hex.length / 2 }, (_, index) => Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16))
}

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes)
    binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
