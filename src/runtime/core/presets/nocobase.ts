import { classifyByStatus } from '../tokens/classify'
import { jwtExpiry } from '../tokens/expiry'
import type { DynamicProtocol } from './define'
import { bearer, definePreset } from './define'

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const nocobaseProtocol: DynamicProtocol = {
  endpoints: { login: '/auth:signIn', logout: '/auth:signOut', user: '/auth:check' },
  loginBody: credentials => credentials,
  readTokens: ({ body, header }, now) => body?.data?.token
    ? { accessToken: body.data.token, expiresAt: jwtExpiry(body.data.token, { now, serverDate: header('date') }) }
    : undefined,
  loginUser: body => body?.data?.user,
  readUser: body => body?.data,
  renewedToken: response => response.header('x-new-token'),
  classify: classifyByStatus([401]),
}

/**
 * NocoBase: `Authorization: Bearer <JWT or API key>`. The optional `X-Authenticator`
 * header (default `basic` on the server) goes in the API's `headers` option. There is no
 * refresh token: a request with an expired but renewable token succeeds and carries the
 * replacement in `x-new-token`; a 401 means the session is over.
 */
export const nocobase = definePreset({
  name: 'nocobase',
  credentialLabel: 'API key',
  credential: bearer(),
  supports: ['none', 'static', 'dynamic', 'cookie'],
  dynamic: nocobaseProtocol,
})
