import { classifyByStatus } from '../tokens/classify'
import { jwtExpiry } from '../tokens/expiry'
import type { DynamicProtocol } from './define'
import { definePreset } from './define'
import { collectionName, presetOptions } from './options'

// #region options
/** `cmsAuth.apis.<name>.pocketbase`. */
export interface PocketBaseOptions {
  /** The auth collection that logs in; `_superusers` for PocketBase's superusers (server only). @default 'users' */
  collection?: string
}
// #endregion options

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const pocketbaseProtocol: DynamicProtocol = {
  endpoints: { login: '/api/collections/users/auth-with-password', refresh: '/api/collections/users/auth-refresh' },
  // No refresh token: `auth-refresh` renews the token it is sent, and only while that one is valid.
  refreshWith: 'access-token',
  loginBody: credentials => credentials,
  readTokens: ({ body, header }, now) => {
    if (typeof body?.token !== 'string' || !body.token)
      return undefined
    const expiresAt = jwtExpiry(body.token, { now, serverDate: header('date') })
    return { accessToken: body.token, expiresAt, refreshExpiresAt: expiresAt }
  },
  loginUser: body => body?.record,
  // An invalid or expired token is ignored on record routes (the request runs as a guest), so a
  // 401 comes only from routes that require auth; the module renews before the token's `exp`.
  classify: classifyByStatus([401]),
}

/**
 * PocketBase: `Authorization: <token>` with no scheme, for logins and for long-lived
 * (impersonate) tokens alike. `auth-with-password` answers `{ token, record }`; `auth-refresh`
 * renews with the current token. There is no logout endpoint: tokens are stateless JWTs.
 */
export const pocketbase = definePreset({
  name: 'pocketbase',
  credentialLabel: 'auth token',
  credential: { header: 'Authorization' },
  supports: ['none', 'static', 'dynamic'],
  dynamic: pocketbaseProtocol,
  setup: ({ options, key }) => {
    const collection = collectionName(presetOptions(options, `${key}.pocketbase`, ['collection']).collection, `${key}.pocketbase.collection`, 'users')
    const base = `/api/collections/${collection}`
    return {
      endpoints: { login: `${base}/auth-with-password`, refresh: `${base}/auth-refresh` },
      ...(collection === '_superusers' ? { serverOnly: 'a superuser bypasses every API rule of every collection' } : {}),
    }
  },
})
