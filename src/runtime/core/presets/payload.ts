import { classifyByStatus } from '../tokens/classify'
import { jwtExpiry, normalizeExpiry } from '../tokens/expiry'
import type { DynamicProtocol } from './define'
import { definePreset } from './define'
import { collectionName, presetOptions } from './options'

// #region options
/** `cmsAuth.apis.<name>.payload`. */
export interface PayloadOptions {
  /** The auth-enabled collection that logs in (or owns the API keys): its slug is in every path. @default 'users' */
  collection?: string
}
// #endregion options

// `removeTokenFromResponses`: the token is only in the cookie (which a server sees, not a browser).
const TOKEN_COOKIE = /(?:^|[,;]\s*)payload-token=([^;,\s]+)/

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const payloadProtocol: DynamicProtocol = {
  credential: { header: 'Authorization', prefix: 'JWT ' },
  endpoints: { login: '/api/users/login', refresh: '/api/users/refresh-token', logout: '/api/users/logout', user: '/api/users/me' },
  // No refresh token: `refresh-token` renews the JWT it is sent, and only while that one is valid.
  refreshWith: 'access-token',
  loginBody: credentials => credentials,
  readTokens: ({ body, header }, now) => {
    const token = body?.token ?? body?.refreshedToken ?? TOKEN_COOKIE.exec(header('set-cookie') ?? '')?.[1]
    if (typeof token !== 'string' || !token)
      return undefined
    const context = { now, serverDate: header('date') }
    const expiresAt = normalizeExpiry(body?.exp, context) ?? jwtExpiry(token, context)
    // The session lasts as long as the token that renews it.
    return { accessToken: token, expiresAt, refreshExpiresAt: expiresAt }
  },
  loginUser: body => body?.user,
  // `/me` answers 200 `{ user: null }` to a visitor nobody logged in.
  readUser: body => body?.user ?? null,
  // Payload answers 403 both to a missing or invalid token and to a forbidden action, so only 401
  // means "expired"; the module renews the token before its `exp` instead.
  classify: classifyByStatus([401]),
}

/**
 * Payload CMS 3: API keys as `Authorization: <collection> API-Key <key>`, logins as
 * `Authorization: JWT <token>`, `refresh-token` with the current token (no refresh token), and
 * the `payload-token` session cookie. Every path names the auth collection (`payload.collection`).
 */
export const payload = definePreset({
  name: 'payload',
  credentialLabel: 'API key',
  credential: { header: 'Authorization', prefix: 'users API-Key ' },
  supports: ['none', 'static', 'dynamic', 'cookie'],
  dynamic: payloadProtocol,
  setup: ({ options, key }) => {
    const collection = collectionName(presetOptions(options, `${key}.payload`, ['collection']).collection, `${key}.payload.collection`, 'users')
    const base = `/api/${collection}`
    return {
      endpoints: { login: `${base}/login`, refresh: `${base}/refresh-token`, logout: `${base}/logout`, user: `${base}/me` },
      credential: { header: 'Authorization', prefix: `${collection} API-Key ` },
    }
  },
})
