import type { HeaderRecord } from '../proxy/proxy-headers'

/** Request headers every cached response is keyed by, besides the API's own `forwardHeaders`. */
export const keyedRequestHeaders: readonly string[] = ['accept', 'accept-language']

/**
 * The cache variant of a request: API, path and query exactly as received (raw, never
 * re-encoded or re-ordered), and the value of each header that reaches the CMS and may change
 * its answer. Two requests share an entry only when all of these are equal.
 */
export function cacheVariant(api: string, pathAndQuery: string, headers: HeaderRecord, keyed: readonly string[]): string {
  let variant = `${api}\n${pathAndQuery}`
  for (const name of keyed) {
    const value = headers[name]
    variant += `\n${Array.isArray(value) ? value.join(', ') : value ?? ''}`
  }
  return variant
}
