import { classifyByStatus } from '../tokens/classify'
import { jwtExpiry } from '../tokens/expiry'
import type { DynamicProtocol } from './define'
import { bearer, definePreset } from './define'

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const strapiProtocol: DynamicProtocol = {
  endpoints: { login: '/api/auth/local', refresh: '/api/auth/refresh', logout: '/api/auth/logout', user: '/api/users/me' },
  loginBody: credentials => credentials,
  refreshBody: tokens => ({ refreshToken: tokens.refreshToken }),
  logoutBody: tokens => ({ refreshToken: tokens.refreshToken }),
  // `sessions.httpOnly` (Strapi's project template) answers the refresh token as a cookie instead:
  // only the server sees it (server-held sessions).
  readTokens: ({ body, header }, now) => body?.jwt
    ? { accessToken: body.jwt, expiresAt: jwtExpiry(body.jwt, { now, serverDate: header('date') }), refreshToken: body.refreshToken ?? /(?:^|[,;]\s*)strapi_up_refresh=([^;,\s]+)/.exec(header('set-cookie') ?? '')?.[1] }
    : undefined,
  loginUser: body => body?.user,
  classify: classifyByStatus([401]),
}

/**
 * Strapi 5: `Authorization: Bearer <API token or JWT>`. Login answers `{ jwt, user }`, plus a
 * rotating `refreshToken` when the users-permissions refresh mode is on (in the body, or with
 * `sessions.httpOnly` in the `strapi_up_refresh` cookie); expiry is the JWT's `exp`.
 */
export const strapi = definePreset({
  name: 'strapi',
  credentialLabel: 'API token',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic'],
  // An API token, asking Strapi 5 for the draft versions. Strapi answers drafts to any reader for
  // any `status` but `published` (`status=draft`, `status[]=`, `status=`, seen on 5.54), so a proxied
  // read outside preview is pinned to `status=published`.
  preview: { query: { status: 'draft' }, published: { status: 'published' } },
  dynamic: strapiProtocol,
})
