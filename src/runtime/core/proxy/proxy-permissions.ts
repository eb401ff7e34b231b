export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
export type HttpMethod = typeof httpMethods[number]

/** A per-path override of the allowed methods, like microCMS per-API key permissions. */
export interface PermissionRule {
  /** `/inquiries`, `/blogs/*` (one segment), `/content/**` (any depth, including none). */
  path: string
  /** `[]` forbids the path for every method. */
  methods: HttpMethod[]
}

export interface Permissions {
  /** Allowed on every path no rule matches. */
  methods: HttpMethod[]
  rules: PermissionRule[]
}

export type PermissionDecision
  = | { allowed: true }
    | { allowed: false, status: 403 }
    | { allowed: false, status: 405, allow: HttpMethod[] }

/** GET implies HEAD, as in every HTTP server: a HEAD is a GET without the body. */
function withHead(methods: readonly HttpMethod[]): HttpMethod[] {
  return methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : [...methods]
}

function splitPath(path: string): string[] {
  return path.split('/').filter(Boolean)
}

/** Whether a rule's pattern covers `path` (decoded, without the query); a trailing slash is ignored. */
export function matchPathPattern(pattern: string, path: string): boolean {
  return matchSegments(splitPath(pattern), splitPath(path))
}

function matchSegments(pattern: string[], path: string[]): boolean {
  if (!pattern.length)
    return !path.length
  const [head, ...rest] = pattern
  if (head === '**')
    return path.some((_, index) => matchSegments(rest, path.slice(index))) || matchSegments(rest, [])
  if (!path.length)
    return false
  return (head === '*' || head === path[0]) && matchSegments(rest, path.slice(1))
}

/**
 * The first rule whose pattern covers the path decides its methods; otherwise the defaults do.
 * A path with no allowed method is forbidden (403); a method outside an allowed set is 405
 * with the set to put in `Allow`.
 */
export function matchPermission(permissions: Permissions, method: string, path: string): PermissionDecision {
  const rule = permissions.rules.find(candidate => matchPathPattern(candidate.path, path))
  const allowed = withHead(rule ? rule.methods : permissions.methods)
  if (!allowed.length)
    return { allowed: false, status: 403 }
  if (!allowed.includes(method.toUpperCase() as HttpMethod))
    return { allowed: false, status: 405, allow: allowed }
  return { allowed: true }
}
