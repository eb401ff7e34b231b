/**
 * Signed preview links: `?to=<path>&expires=<unix seconds>&sig=<HMAC-SHA256>` over the API name,
 * the target path, the expiry and the values the link carries, keyed with the API's preview
 * secret. Web Crypto only, so it runs on every Nitro target; `crypto.subtle.verify` compares in
 * constant time.
 */

export interface PreviewLinkClaims {
  api: string
  /** Same-origin path the editor lands on. */
  to: string
  /** Unix seconds after which the link is refused. */
  expires: number
  /** Values the link carries into the preview (microCMS `draftKey`), in a fixed order. */
  carried?: Record<string, string>
}

const encoder = new TextEncoder()

function signedText({ api, to, expires, carried = {} }: PreviewLinkClaims): Uint8Array<ArrayBuffer> {
  const extras = Object.keys(carried).sort().map(name => `${name}=${carried[name]}`)
  return encoder.encode(['nuxt-cms-auth preview v1', api, to, String(expires), ...extras].join('\n'))
}

function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage])
}

export async function signPreviewLink(secret: string, claims: PreviewLinkClaims): Promise<string> {
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), signedText(claims)))
  return base64url(signature)
}

export type LinkVerdict = { ok: true } | { ok: false, reason: string }

/** Whether `signature` signs `claims` with `secret` and the link has not expired at `now` (ms). */
export async function verifyPreviewLink(secret: string, claims: PreviewLinkClaims, signature: string, now: number): Promise<LinkVerdict> {
  const bytes = fromBase64url(signature)
  if (!bytes || bytes.length !== 32)
    return { ok: false, reason: 'The preview link\'s signature is malformed.' }
  // Checked before the expiry: a forged link learns nothing about which links are still valid.
  const valid = await crypto.subtle.verify('HMAC', await hmacKey(secret, 'verify'), bytes, signedText(claims))
  if (!valid)
    return { ok: false, reason: 'The preview link\'s signature does not match (forged, altered, or for another API).' }
  if (!Number.isInteger(claims.expires) || claims.expires * 1000 <= now)
    return { ok: false, reason: 'The preview link has expired; ask for a new one.' }
  return { ok: true }
}

/**
 * Whether `given` equals `expected` without the time taken telling how much of it matched: both
 * are hashed first, so the lengths do not show either.
 */
export async function secretsMatch(given: string, expected: string): Promise<boolean> {
  if (!expected)
    return false
  const [a, b] = await Promise.all([given, expected].map(async text => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))))
  let difference = 0
  for (let index = 0; index < a!.length; index++)
    difference |= a![index]! ^ b![index]!
  return difference === 0
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[\w-]+$/.test(text))
    return undefined
  try {
    return Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), char => char.charCodeAt(0))
  }
  catch {
    return undefined
  }
}
