import { classifyByStatus } from '../tokens/classify'
import { normalizeExpiry } from '../tokens/expiry'
import type { DynamicProtocol } from './define'
import { definePreset } from './define'

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const kurocoProtocol: DynamicProtocol = {
  endpoints: { login: '/login', token: '/token', refresh: '/token', logout: '/logout', user: '/profile' },
  loginBody: credentials => ({ login_save: 0, ...credentials }),
  exchangeBody: body => ({ grant_token: body?.grant_token }),
  anonymousBody: {},
  refreshBody: tokens => ({ refresh_token: tokens.refreshToken }),
  // `expiresAt` is documented without a type: epoch seconds, epoch ms and ISO strings all work.
  readTokens: ({ body, header }, now) => body?.access_token?.value
    ? {
        accessToken: body.access_token.value,
        expiresAt: normalizeExpiry(body.access_token.expiresAt, { now, serverDate: header('date') }),
        refreshToken: body.refresh_token?.value,
        refreshExpiresAt: normalizeExpiry(body.refresh_token?.expiresAt, { now, serverDate: header('date') }),
      }
    : undefined,
  classify: classifyByStatus([401]),
}

/**
 * Kuroco: `X-RCMS-API-ACCESS-TOKEN: <token>` (no Bearer prefix) for static and dynamic tokens.
 * Dynamic login is two steps: `login` answers a `grant_token`, which `token` exchanges for an
 * access and a refresh token; `token` with `{}` gives an anonymous token.
 */
export const kuroco = definePreset({
  name: 'kuroco',
  credentialLabel: 'access token',
  credential: { header: 'X-RCMS-API-ACCESS-TOKEN' },
  supports: ['none', 'static', 'dynamic', 'cookie'],
  // A privileged access token (one that may read unpublished content) in the same header.
  preview: {},
  responseHeaders: ['x-rcms-ratelimit-limit', 'x-rcms-ratelimit-remaining', 'x-rcms-ratelimit-reset'],
  dynamic: kurocoProtocol,
})
