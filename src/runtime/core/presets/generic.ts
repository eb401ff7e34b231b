import { classifyByStatus } from '../tokens/classify'
import { jwtExpiry, normalizeExpiry } from '../tokens/expiry'
import { readPointer } from '../json-pointer'
import type { DynamicProtocol } from './define'
import { bearer, definePreset } from './define'

// #region fields
/** Where a generic API puts things, as JSON pointers into its login/refresh responses. */
export interface GenericTokenFields {
  accessToken?: string
  refreshToken?: string
  /** Epoch s/ms, ISO string or a lifetime; absent → the access token's JWT `exp`, if any. */
  expires?: string
  /** Unit of `expires` when it is a lifetime. @default 's' (OAuth's `expires_in`) */
  expiresUnit?: 'ms' | 's'
  user?: string
  /** Body field that carries the refresh token in the refresh (and logout) request. */
  refreshField?: string
}
// #endregion fields

/** An OAuth-shaped default; every field and path is configurable. */
export function genericProtocol(fields: GenericTokenFields = {}): DynamicProtocol {
  const { accessToken = '/access_token', refreshToken = '/refresh_token', expires = '/expires_in', expiresUnit = 's', user = '/user', refreshField = 'refresh_token' } = fields
  const refreshBody: DynamicProtocol['refreshBody'] = tokens => ({ [refreshField]: tokens.refreshToken })
  return {
    endpoints: { login: '/login', refresh: '/refresh', logout: '/logout' },
    loginBody: credentials => credentials,
    refreshBody,
    logoutBody: refreshBody,
    readTokens: ({ body, header }, now) => {
      const access = readPointer(body, accessToken)
      if (typeof access !== 'string' || !access)
        return undefined
      const context = { now, serverDate: header('date'), ttlUnit: expiresUnit }
      const refresh = readPointer(body, refreshToken)
      return {
        accessToken: access,
        expiresAt: normalizeExpiry(readPointer(body, expires), context) ?? jwtExpiry(access, context),
        refreshToken: typeof refresh === 'string' ? refresh : undefined,
      }
    },
    loginUser: body => readPointer(body, user),
    classify: classifyByStatus([401]),
  }
}

/** Any REST API: Bearer by default, every part configurable through `credential`. */
export const generic = definePreset({
  name: 'generic',
  credentialLabel: 'token',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic', 'cookie'],
  // The preview token where the credential goes; `preview.query` and `preview.headers` say the rest.
  preview: {},
  dynamic: genericProtocol(),
})
