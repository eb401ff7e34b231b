import { errorCode } from '../tokens/classify'
import { normalizeExpiry } from '../tokens/expiry'
import type { DynamicProtocol } from './define'
import { bearer, definePreset } from './define'

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const directusProtocol: DynamicProtocol = {
  endpoints: { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout', user: '/users/me' },
  loginBody: credentials => ({ ...credentials, mode: 'json' }),
  refreshBody: tokens => ({ refresh_token: tokens.refreshToken, mode: 'json' }),
  logoutBody: tokens => ({ refresh_token: tokens.refreshToken, mode: 'json' }),
  readTokens: ({ body }, now) => body?.data?.access_token
    ? {
        accessToken: body.data.access_token,
        expiresAt: normalizeExpiry(body.data.expires, { now, relative: true }),
        refreshToken: body.data.refresh_token,
      }
    : undefined,
  readUser: body => body?.data,
  // 401 TOKEN_EXPIRED / INVALID_CREDENTIALS, and 403 INVALID_TOKEN (bad signature) all mean "this token
  // is no good"; a plain 403 FORBIDDEN is a permission the user lacks.
  classify: ({ status, body }) => status === 401 || (status === 403 && errorCode(body) === 'INVALID_TOKEN')
    ? 'expired'
    : status === 403 ? 'denied' : 'other',
}

/**
 * Directus: `Authorization: Bearer <token>` for static user tokens and access tokens alike.
 * Login and refresh in `json` mode; `expires` is a lifetime in ms; refresh tokens rotate.
 */
export const directus = definePreset({
  name: 'directus',
  credentialLabel: 'static token',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic', 'cookie'],
  // A privileged static token (one whose role reads drafts) as Bearer, like any Directus token.
  preview: {},
  dynamic: directusProtocol,
})
