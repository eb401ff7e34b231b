/** Where a proxied request goes under the API's base path, or why it may not go anywhere. */
export type ProxyPath
  = | { ok: true, /** As received (still encoded), appended to the base path. */ path: string, /** Decoded once, for permission rules. */ decoded: string, /** `?…` exactly as received, or ''. */ search: string }
    | { ok: false, reason: string }

// Enough for any honest path; deeper nesting of %25 is an attempt to outlast the check.
const MAX_DECODE_ROUNDS = 4

/**
 * Checks the part of the URL after `<prefix>/<name>`. The proxy appends it to the configured
 * base path, so the only ways out are segments that a CMS or a server in front of it would
 * resolve after us: `..` and `.` (plain, %-encoded, double-encoded), encoded `/` or `\` that
 * turn into separators, empty segments (`//host`, `/http://…`), NUL and control characters.
 * Every segment is decoded until it stops changing and refused if any of these appear.
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
    const decoded = decodeFully(segment)
    if (decoded === undefined)
      return { ok: false, reason: 'the path has a malformed %-escape' }
    if (decoded === '')
      return { ok: false, reason: 'the path has an empty segment (//)' }
    if (decoded === '.' || decoded === '..')
      return { ok: false, reason: 'the path has a . or .. segment' }
    if (decoded.includes('/') || decoded.includes('\\'))
      return { ok: false, reason: 'the path has an encoded / or \\' }
    if (hasControlCharacter(decoded) || segment.includes('#'))
      return { ok: false, reason: 'the path has a control character' }
    decodedSegments.push(decodeURIComponent(segment))
  }
  return { ok: true, path: encodeUnsafe(path), decoded: `/${decodedSegments.join('/')}`, search: encodeUnsafe(search) }
}

/**
 * Browsers send URLs percent-encoded, but a server-side caller (SSR through Nitro's local fetch)
 * may pass `/content/日本` or a space as is: encode what may not appear raw in a request line,
 * and leave existing escapes alone.
 */
function encodeUnsafe(text: string): string {
  return text.replace(/[^\x21-\x7E]+/gu, run => encodeURIComponent(run))
}

function decodeFully(segment: string): string | undefined {
  let current = segment
  for (let round = 0; round < MAX_DECODE_ROUNDS && current.includes('%'); round++) {
    let next: string
    try {
      next = decodeURIComponent(current)
    }
    catch {
      return round === 0 ? undefined : current
    }
    if (next === current)
      break
    current = next
  }
  // Still encoded after every round: refuse rather than guess what the next hop makes of it.
  return /%[0-9a-f]{2}/i.test(current) && current !== segment ? undefined : current
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 || code === 0x7F)
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
