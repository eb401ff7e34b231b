import { configError } from './config-error'

/**
 * The checks every part of the config shares, at build time and when the server re-reads env
 * overrides: one wording per mistake, naming the key, wherever it is made.
 */

/** An RFC 9110 `token`: what a header name or a cookie name may be. */
export const HTTP_TOKEN = /^[!#$%&'*+.^`|~\w-]+$/

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * `options` at `key` as an object whose keys are all in `known`; `example` shows its shape when
 * it is not an object. An unknown key is an error listing the known ones, with a hint when it
 * differs from one only by case (`baseUrl` for `baseURL`).
 */
export function knownOptions<K extends string>(key: string, options: unknown, known: readonly K[], example = ''): Partial<Record<K, unknown>> {
  if (!isPlainObject(options))
    throw configError(`${key} must be an object${example ? `, e.g. ${example}` : ''} (options: ${known.join(', ')}).`)
  for (const option of Object.keys(options)) {
    if (!(known as readonly string[]).includes(option)) {
      const hint = known.find(name => name.toLowerCase() === option.toLowerCase())
      throw configError(`${key}.${option} is not an option${hint ? `; did you mean ${hint}?` : ''} (options: ${known.join(', ')}).`)
    }
  }
  return options as Partial<Record<K, unknown>>
}

export function resolvePositiveInteger(key: string, value: unknown, fallback: number | undefined, unit: string): number {
  if (value === undefined && fallback !== undefined)
    return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw configError(`${key} must be a positive whole number of ${unit}; got ${JSON.stringify(value)}.`)
  return value
}

/** `headers` at `key`: header names (RFC 9110 tokens) to string values; `{}` when unset. */
export function resolveHeaderRecord(key: string, headers: unknown): Record<string, string> {
  if (headers === undefined)
    return {}
  if (!isPlainObject(headers))
    throw configError(`${key} must be an object of header names to string values.`)
  for (const [header, value] of Object.entries(headers)) {
    if (!HTTP_TOKEN.test(header) || typeof value !== 'string')
      throw configError(`${key}["${header}"] must be a valid header name with a string value.`)
  }
  return headers as Record<string, string>
}
