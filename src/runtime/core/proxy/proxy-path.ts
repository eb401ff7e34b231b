/** Where a proxied request goes under the API's base path, or why it may not go anywhere. */
export type ProxyPath
  = | { ok: true, /** As received (still encoded), appended to the base path. */ path: string, /** Decoded once, for permission rules. */ decoded: string, /** `?…` exactly as received, or ''. */ search: string }
    | { ok: false, reason: string }

// Enough for any honest path (triple encoding included); deeper nesting is an attempt to outlast the check.
const MAX_DECODE_ROUNDS = 4

/**
 * Checks the part of the URL after `<prefix>/<name>`, exactly as the client sent it. The proxy
 * appends it to the configured base path, so the only ways out are segments that some server
 * between us and the CMS data resolves as `.` or `..`. HTTP servers disagree on what that is, so
 * the rule is the union of what mainstream ones do (docs/modes/proxy.md, "Path grammar", lists them): a
 * segment is refused when any of its decoded forms (none, once, twice… up to 4 rounds, plus
 * IIS `%u` escapes and Unicode compatibility forms) is a dot segment, holds a path parameter `;`,
 * a backslash, a control character, or does not decode as UTF-8.
 */
export function resolveProxyPath(rest: string): ProxyPath {
  const queryStart = rest.indexOf('?')
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart)
  const search = queryStart === -1 ? '' : rest.slice(queryStart)
  if (path !== '' && !path.startsWith('/'))
    return { ok: false, reason: 'the path must start with /' }
  if (hasControlCharacter(search) || search.includes('#'))
    return { ok: false, reason: 'the query string contains a control character' }
  if (path === '' || path === '/')
    return { ok: true, path, decoded: path, search: encodeUnsafe(search) }

  const segments = path.slice(1).split('/')
  const decodedSegments: string[] = []
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!
    // One trailing slash is part of many CMS routes; an empty segment anywhere else is `//`.
    if (segment === '' && index === segments.length - 1) {
      decodedSegments.push('')
      continue
    }
    const judged = judgeSegment(segment)
    if (typeof judged === 'object')
      return { ok: false, reason: judged.refused }
    decodedSegments.push(judged)
  }
  return { ok: true, path: encodeUnsafe(path), decoded: `/${decodedSegments.join('/')}`, search: encodeUnsafe(search) }
}

/** A segment decoded once (for permission rules), or why no server may see it. */
export function judgeSegment(segment: string): string | { refused: string } {
  if (segment === '')
    return { refused: 'the path has an empty segment (//)' }
  // The common case, cheaply: plain ASCII with nothing to decode, no `;`, `\\` or `%`, and which
  // NFKC leaves as it is: only a dot segment could be wrong with it.
  if (PLAIN_SEGMENT.test(segment))
    return DOT_SEGMENT.test(segment) ? { refused: 'the path has a . or .. segment' } : segment
  if (segment.includes('#'))
    return { refused: 'the path has a control character' }
  if (/%(?![0-9a-f]{2})/i.test(segment))
    return { refused: 'the path has a malformed %-escape' }
  let form = segment
  let once: string | undefined
  for (let round = 0; ; round++) {
    const refused = judgeForm(form)
    if (refused)
      return { refused }
    if (!/%[0-9a-f]{2}/i.test(form))
      break
    if (round === MAX_DECODE_ROUNDS)
      return { refused: 'the path is %-encoded more deeply than any honest path' }
    const next = decodeEscapes(form)
    if (next === undefined)
      return { refused: 'the path has a %-escape that is not UTF-8 (overlong or invalid)' }
    once ??= next
    form = next
  }
  return once ?? segment
}

const PLAIN_SEGMENT = /^[\w\-.~!$&'()*+,=:@]+$/

/** Decodes every run of `%XX` once; `undefined` when a run is not valid UTF-8 (overlong forms included). */
function decodeEscapes(form: string): string | undefined {
  try {
    return form.replace(/(?:%[0-9a-f]{2})+/gi, run => decodeURIComponent(run))
  }
  catch {
    return undefined
  }
}

/**
 * Why one decoded form of a segment may not be sent, or '' when it may. Applied to every form,
 * so an escape that one server decodes and the next does not changes nothing.
 */
function judgeForm(form: string): string {
  if (/%u[0-9a-f]{4}/i.test(form))
    return 'the path has an IIS %u escape'
  // Fullwidth and other compatibility characters (U+FF0E ．, U+2025 ‥, U+FF0F ／, U+FF1B ；…) are
  // what some stacks normalise them to.
  const normal = form.normalize('NFKC')
  if (hasControlCharacter(normal) || FORMAT_CHARACTER.test(normal))
    return 'the path has a control character'
  // Tomcat, Jetty and Spring drop `;parameters` from a segment before resolving it: `..;x` is `..`.
  for (const piece of normal.split(SEPARATORS)) {
    if (DOT_SEGMENT.test(piece.split(';', 1)[0]!))
      return 'the path has a . or .. segment'
  }
  if (normal.includes(';'))
    return 'the path has a path parameter (;), which servers such as Tomcat strip before resolving it'
  if (normal.includes('\\'))
    return 'the path has a backslash, which Windows servers read as /'
  // An encoded `/` is kept as sent; a server that decodes it must still see no empty segment.
  if (normal.includes('/') && normal.split('/').includes(''))
    return 'the path has an encoded / that makes an empty segment'
  return ''
}

// Dots with optional whitespace: `.`, `..`, and what Windows trims to them (`.. `, `...`).
const DOT_SEGMENT = /^\s*\.[.\s]*$/
// `/` and what Windows "best fit" code pages turn into / or \ (NFKC leaves these): `..∕` is `../`
// there. Only dot segments between them are refused, so `¥100` stays a valid slug.
const SEPARATORS = /[/\\\u00A5\u20A9\u2044\u2215\u29F5\u29F8]/
// Invisible characters (soft hyphen, zero-width joiners, bidi marks) some normalisers drop.
const FORMAT_CHARACTER = /\p{Cf}/u

/**
 * Browsers send URLs percent-encoded, but a server-side caller (SSR through Nitro's local fetch)
 * may pass `/content/日本` or a space as is: encode what may not appear raw in a request line,
 * and leave existing escapes alone.
 */
function encodeUnsafe(text: string): string {
  // Most paths have nothing to encode: one scan instead of a replace on every request.
  return UNSAFE.test(text) ? text.replace(/[^\x21-\x7E]+/gu, run => encodeURIComponent(run)) : text
}
const UNSAFE = /[^\x21-\x7E]/

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 || (code >= 0x7F && code <= 0x9F))
      return true
  }
  return false
}

/**
 * The client's `?…` with the server's credential parameter appended, after dropping any
 * parameter of the same name the client sent: the CMS sees exactly one, ours. The rest of the
 * query stays byte-exact.
 */
export function withCredentialQuery(search: string, credential: string): string {
  if (!credential)
    return search
  const name = decodeQueryName(credential.slice(0, credential.indexOf('=')))
  const kept = search.slice(1).split('&').filter(pair => pair !== '' && decodeQueryName(pair.split('=', 1)[0]!) !== name)
  return `?${[...kept, credential].join('&')}`
}

function decodeQueryName(name: string): string | undefined {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '))
  }
  catch {
    // Undecodable: it cannot be our parameter, whose name we encoded ourselves.
    return undefined
  }
}
