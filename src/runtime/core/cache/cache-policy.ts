import type { CmsAuthMode } from '../config-types'
import { matchPathPattern } from '../proxy/proxy-permissions'

/** One cache setting after validation: seconds fresh, seconds served stale while revalidating, bytes per entry. */
export interface CachePolicy {
  maxAge: number
  staleWhileRevalidate: number
  maxEntrySize: number
}

/** A proxy rule's own cache setting; `false` turns the API's off on its paths. */
export interface CacheRule {
  path: string
  cache?: CachePolicy | false
}

export const DEFAULT_CACHE_POLICY: Readonly<CachePolicy> = { maxAge: 60, staleWhileRevalidate: 0, maxEntrySize: 1024 * 1024 }

/** What a proxied response carrying one member's data says to every cache between here and the browser. */
export const MEMBER_CACHE_CONTROL = 'private, no-store'

/** The credentials whose responses never depend on who asks: the only ones a cache may share. */
export const cacheableAuthModes: readonly CmsAuthMode[] = ['none', 'static']

/**
 * The setting for one path: the first rule whose pattern covers it decides when it sets `cache`
 * (first match wins, as for permissions); otherwise the API's own.
 */
export function cachePolicyFor(apiPolicy: CachePolicy | false, rules: readonly CacheRule[], decodedPath: string): CachePolicy | false {
  const rule = rules.find(candidate => matchPathPattern(candidate.path, decodedPath))
  return rule?.cache !== undefined ? rule.cache : apiPolicy
}
