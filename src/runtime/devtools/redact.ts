import type { CmsApiMode } from '../core/config-types'

/**
 * What the DevTools tab may show, decided by allow-lists: every value it displays passes through
 * here on the server, so no token, key, password, cookie or credential-bearing URL part reaches it.
 */

export const REDACTED = '[redacted]'

// Query parameters that carry credentials in the wild (Cockpit `api_key`, `access_token`, signed URLs…).
const SECRET_PARAM = /token|key|secret|pass|auth|session|sig|code|credential|jwt/i

/** One configured API as the tab lists it: names and modes, never a value that authenticates. */
export interface DevtoolsApi {
  name: string
  preset: string
  auth: string
  /** `direct`: the browser calls the CMS; `proxy`: the server adds the key; `session`: the server holds the tokens. */
  mode: CmsApiMode
  /** Where requests go, without user info and with secret-looking query values replaced. */
  baseURL: string
  /** Where the credential goes: `header X-RCMS-API-ACCESS-TOKEN`, `query api_key`, `CMS session cookie` or `none`. */
  credential: string
  /** Whether a static token is configured (its value is never shown). */
  tokenSet: boolean
  /** This app's routes for the API (proxy, and session routes), whose requests the tab lists. */
  routes: string[]
}

interface ApiLike {
  name: string
  mode: CmsApiMode
  preset: string
  auth: string
  baseURL: string
  token: string
  tokenFromEnv: boolean
  credential: { header?: string, query?: string }
  proxy: false | { route: string, sessionRoute?: string }
}

export function describeApi(api: ApiLike, secretParams: string[] = []): DevtoolsApi {
  return {
    name: api.name,
    preset: api.preset,
    auth: api.auth,
    mode: api.mode,
    baseURL: redactUrl(api.baseURL, [...secretParams, ...(api.credential.query ? [api.credential.query] : [])]),
    credential: credentialPlacement(api),
    tokenSet: api.auth === 'static' && (Boolean(api.token) || api.tokenFromEnv),
    routes: api.proxy ? [api.proxy.route, ...(api.proxy.sessionRoute ? [api.proxy.sessionRoute] : [])] : [],
  }
}

/** What carries the credential: nothing for `auth: 'none'` (the preset's header is not sent), the CMS's session cookie for `auth: 'cookie'`. */
function credentialPlacement({ auth, credential }: ApiLike): string {
  if (auth === 'none')
    return 'none'
  if (auth === 'cookie')
    return 'CMS session cookie'
  return credential.query ? `query ${credential.query}` : credential.header ? `header ${credential.header}` : 'none'
}

/**
 * A URL or path with user info removed and the values of credential-like query parameters (and
 * of `secretParams`, the APIs' own credential parameters) replaced. Anything that does not parse
 * is dropped rather than shown.
 */
export function redactUrl(url: string, secretParams: string[] = []): string {
  const relative = !/^[a-z][\w+.-]*:/i.test(url)
  let parsed: URL
  try {
    parsed = new URL(url, 'http://relative.invalid')
  }
  catch {
    return REDACTED
  }
  if (!relative && (parsed.username || parsed.password)) {
    parsed.username = ''
    parsed.password = ''
  }
  const named = new Set(secretParams.map(param => param.toLowerCase()))
  const query = [...parsed.searchParams.keys()].length
    ? `?${[...parsed.searchParams].map(([key, value]) => `${encodeURIComponent(key)}=${SECRET_PARAM.test(key) || named.has(key.toLowerCase()) ? REDACTED : encodeURIComponent(value)}`).join('&')}`
    : ''
  const path = parsed.pathname + query
  return relative ? path : `${parsed.origin}${path}`
}

/** A login/refresh/logout event reported by the browser, kept only if every field is known. */
export interface DevtoolsAuthEvent {
  api: string
  event: 'login' | 'logout' | 'refresh' | 'error' | 'state'
  status?: 'logged-out' | 'anonymous' | 'logged-in'
  expiresAt?: number | null
  fromOtherTab?: boolean
  reason?: string
  statusCode?: number
  at: number
}

const EVENTS = new Set(['login', 'logout', 'refresh', 'error', 'state'])
const STATUSES = new Set(['logged-out', 'anonymous', 'logged-in'])
const REASONS = new Set(['user', 'rejected', 'unavailable'])

/**
 * Rebuilds a reported event from its known fields only: a client (or a bug) that sends a token
 * along has it dropped here, before anything is stored.
 */
export function sanitizeAuthEvent(input: unknown, apiNames: string[], now = Date.now()): DevtoolsAuthEvent | undefined {
  if (!input || typeof input !== 'object')
    return undefined
  const raw = input as Record<string, unknown>
  if (typeof raw.api !== 'string' || !apiNames.includes(raw.api) || typeof raw.event !== 'string' || !EVENTS.has(raw.event))
    return undefined
  const event: DevtoolsAuthEvent = { api: raw.api, event: raw.event as DevtoolsAuthEvent['event'], at: now }
  if (typeof raw.status === 'string' && STATUSES.has(raw.status))
    event.status = raw.status as DevtoolsAuthEvent['status']
  if (raw.expiresAt === null || (typeof raw.expiresAt === 'number' && Number.isFinite(raw.expiresAt)))
    event.expiresAt = raw.expiresAt as number | null
  if (raw.fromOtherTab === true)
    event.fromOtherTab = true
  if (typeof raw.reason === 'string' && REASONS.has(raw.reason))
    event.reason = raw.reason
  if (typeof raw.statusCode === 'number' && Number.isInteger(raw.statusCode) && raw.statusCode >= 100 && raw.statusCode < 600)
    event.statusCode = raw.statusCode
  return event
}
