import { DEFAULT_CACHE_POLICY } from '../runtime/core/cache/cache-policy'
import type { CachePolicy, CacheRule } from '../runtime/core/cache/cache-policy'
import { isPlainObject, knownOptions, resolvePositiveInteger } from '../runtime/core/validate'
import type { CmsProxyCacheOptions } from '../runtime/types'
import { configError } from './errors'

const CACHE_KEYS: ReadonlyArray<keyof CmsProxyCacheOptions> = ['maxAge', 'staleWhileRevalidate', 'maxEntrySize']

/** The API's `proxy.cache` and its rules' `cache`, validated; the rules only when one of them sets it. */
export interface ResolvedProxyCache {
  cache: CachePolicy | false
  cacheRules: CacheRule[]
}

/**
 * `proxy.cache` and `proxy.rules[].cache`. Caching an API whose credential is per-user (a login:
 * `auth: 'dynamic'` or `'cookie'`) is refused here: its answers carry one member's data.
 */
export function resolveProxyCache(key: string, perUser: boolean, cache: unknown, rules: unknown): ResolvedProxyCache {
  const ruleList = Array.isArray(rules) ? rules : []
  const ruleCaches = ruleList.map((rule, index) => isPlainObject(rule) && rule.cache !== undefined ? `${key}.rules[${index}].cache` : '').filter(Boolean)
  const set = [...(cache !== undefined && cache !== false ? [`${key}.cache`] : []), ...ruleCaches]
  if (set.length && perUser)
    throw configError(`${set.join(', ')} cannot be set on an API whose credential is per-user (auth 'dynamic' or 'cookie': a login): its responses carry one member's data, and a cached one would be served to the next visitor. Remove it, or cache an API with auth 'none' or 'static'.`)
  return {
    cache: resolveCachePolicy(`${key}.cache`, cache),
    cacheRules: ruleCaches.length
      ? ruleList.map((rule, index) => {
          const path = isPlainObject(rule) && typeof rule.path === 'string' ? rule.path : ''
          return isPlainObject(rule) && rule.cache !== undefined ? { path, cache: resolveCachePolicy(`${key}.rules[${index}].cache`, rule.cache) } : { path }
        })
      : [],
  }
}

function resolveCachePolicy(key: string, cache: unknown): CachePolicy | false {
  if (cache === undefined || cache === false)
    return false
  if (cache !== true && !isPlainObject(cache))
    throw configError(`${key} must be true, false or { maxAge, staleWhileRevalidate, maxEntrySize } (seconds, seconds, bytes).`)
  const options = knownOptions(key, cache === true ? {} : cache, CACHE_KEYS) as CmsProxyCacheOptions
  return {
    maxAge: resolvePositiveInteger(`${key}.maxAge`, options.maxAge, DEFAULT_CACHE_POLICY.maxAge, 'seconds'),
    staleWhileRevalidate: resolveSeconds(`${key}.staleWhileRevalidate`, options.staleWhileRevalidate),
    maxEntrySize: resolvePositiveInteger(`${key}.maxEntrySize`, options.maxEntrySize, DEFAULT_CACHE_POLICY.maxEntrySize, 'bytes'),
  }
}

function resolveSeconds(key: string, value: unknown): number {
  if (value === undefined || value === 0)
    return DEFAULT_CACHE_POLICY.staleWhileRevalidate
  return resolvePositiveInteger(key, value, undefined, 'seconds (or 0)')
}
