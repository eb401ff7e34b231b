import { configError } from '../config-error'
import { knownOptions } from '../validate'

/**
 * Readers for a preset's own options (`cmsAuth.apis.<name>.<preset name>`), used by presets'
 * `setup` at build time: a mistake is an error that names the key, like the rest of the config.
 */
export function presetOptions(options: unknown, key: string, known: readonly string[]): Record<string, unknown> {
  if (options === undefined)
    return {}
  return knownOptions(key, options, known) as Record<string, unknown>
}

/** One of `values`, the first by default. */
export function oneOf<T extends string>(value: unknown, key: string, values: readonly T[]): T {
  if (value === undefined)
    return values[0]!
  if (!values.includes(value as T))
    throw configError(`${key} ${JSON.stringify(value)} is unknown; use one of ${values.join(', ')}.`)
  return value as T
}

// Payload's slugs and PocketBase's collection names: letters, digits, `_` and `-` (one path segment).
const COLLECTION = /^[\w-]+$/

/** A collection name, placed in endpoint paths (`/api/<collection>/login`). */
export function collectionName(value: unknown, key: string, fallback: string): string {
  if (value === undefined)
    return fallback
  if (typeof value !== 'string' || !COLLECTION.test(value))
    throw configError(`${key} must be a collection name (letters, digits, _ and -); got ${JSON.stringify(value)}.`)
  return value
}
