/**
 * CMS error pages quote what they were asked: a 404 that echoes the URL (Cockpit, Storyblok,
 * Ghost take the key as `?api_key=`/`?token=`/`?key=`), a debug page that prints the request.
 * The proxy added that secret itself, so an error body may carry it to the browser. These are the
 * spellings a secret takes in a body: as is, %-encoded, form-encoded, JSON- and HTML-escaped.
 */
export function secretSpellings(secrets: ReadonlyArray<string>): string[] {
  const spellings = new Set<string>()
  for (const secret of secrets) {
    // A short value (a flag, a name) would redact ordinary words; secrets are longer.
    if (secret.length < MIN_SECRET_LENGTH)
      continue
    spellings.add(secret)
    spellings.add(encodeURIComponent(secret))
    spellings.add(new URLSearchParams({ s: secret }).toString().slice(2))
    spellings.add(JSON.stringify(secret).slice(1, -1))
    spellings.add(secret.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`))
    spellings.add(secret.replace(/[&<>"']/g, char => HTML_ENTITIES[char]!))
  }
  // Longest first: a spelling that contains another is replaced whole.
  return [...spellings].sort((a, b) => b.length - a.length)
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }
export const MIN_SECRET_LENGTH = 8
export const REDACTED = '[redacted by nuxt-cms-auth]'

/**
 * `body` with every spelling replaced, or `undefined` when none occurs (the bytes go out as
 * they came). A body that is not UTF-8 text is searched as Latin-1, byte for byte, so a secret
 * inside binary is still found.
 */
export function redactSecrets(body: Uint8Array, spellings: ReadonlyArray<string>): Uint8Array | undefined {
  if (!spellings.length || !body.length)
    return undefined
  let text: string
  let utf8 = true
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  }
  catch {
    utf8 = false
    text = latin1(body)
  }
  let redacted = text
  for (const spelling of spellings)
    redacted = redacted.split(spelling).join(REDACTED)
  if (redacted === text)
    return undefined
  return utf8 ? new TextEncoder().encode(redacted) : Uint8Array.from(redacted, char => char.charCodeAt(0) & 0xFF)
}

function latin1(bytes: Uint8Array): string {
  let text = ''
  for (let start = 0; start < bytes.length; start += 0x8000)
    text += String.fromCharCode(...bytes.subarray(start, start + 0x8000))
  return text
}
