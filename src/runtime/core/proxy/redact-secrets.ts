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
  const redacted = redactText(text, spellings)
  if (redacted === text)
    return undefined
  return utf8 ? new TextEncoder().encode(redacted) : Uint8Array.from(redacted, char => char.charCodeAt(0) & 0xFF)
}

/** `text` with every spelling replaced. */
export function redactText(text: string, spellings: ReadonlyArray<string>): string {
  for (const spelling of spellings)
    text = text.split(spelling).join(REDACTED)
  return text
}

/**
 * An error of a server-side call without the secrets: ofetch's FetchError names the URL
 * (`?api_key=…` included) and carries the CMS's body, and an app route may pass either on. Its
 * getters cannot be overwritten, so this is a new Error with the same name, message and stack
 * (cleaned), `statusCode`/`status`/`statusText`/`statusMessage` and `data` (cleaned); `request`,
 * `options` and `response`, which hold the credential, are left behind.
 */
export function redactError(error: unknown, spellings: ReadonlyArray<string>): unknown {
  if (!spellings.length || !(error instanceof Error))
    return error
  const source = error as Error & Record<string, unknown>
  const clean = new Error(redactText(error.message, spellings)) as Error & Record<string, unknown>
  clean.name = error.name
  clean.stack = error.stack && redactText(error.stack, spellings)
  for (const key of ['statusCode', 'status', 'statusText', 'statusMessage'] as const) {
    if (source[key] !== undefined)
      clean[key] = source[key]
  }
  if (source.data !== undefined)
    clean.data = typeof source.data === 'string' ? redactText(source.data, spellings) : redactJson(source.data, spellings)
  return clean
}

function redactJson(value: unknown, spellings: ReadonlyArray<string>): unknown {
  try {
    const text = JSON.stringify(value)
    const redacted = redactText(text, spellings)
    return redacted === text ? value : JSON.parse(redacted)
  }
  catch {
    return undefined
  }
}

function latin1(bytes: Uint8Array): string {
  let text = ''
  for (let start = 0; start < bytes.length; start += 0x8000)
    text += String.fromCharCode(...bytes.subarray(start, start + 0x8000))
  return text
}
