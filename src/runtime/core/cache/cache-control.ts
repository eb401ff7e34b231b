/**
 * `Cache-Control` as a map of lower-cased directives to their value (`true` for a bare one).
 * A repeated directive keeps its first value, as RFC 9111 §4.2.1 asks of a cache that meets one.
 */
export function parseCacheControl(value: string | undefined): Map<string, string | true> {
  const directives = new Map<string, string | true>()
  if (!value)
    return directives
  for (const part of value.split(',')) {
    const [name, ...rest] = part.split('=')
    const directive = name!.trim().toLowerCase()
    if (!directive || directives.has(directive))
      continue
    directives.set(directive, rest.length ? rest.join('=').trim().replace(/^"|"$/g, '') : true)
  }
  return directives
}

/** A delta-seconds directive (`max-age=60`) as a number, or `undefined` when absent or not a number. */
export function deltaSeconds(directives: Map<string, string | true>, name: string): number | undefined {
  const value = directives.get(name)
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    return undefined
  return Number(value)
}
