import { errorCode } from '../tokens/classify'
import { jwtExpiry, normalizeExpiry } from '../tokens/expiry'
import type { DynamicProtocol } from './define'
import { bearer, definePreset } from './define'

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const supabaseProtocol: DynamicProtocol = {
  credential: bearer(),
  endpoints: { login: '/auth/v1/token?grant_type=password', refresh: '/auth/v1/token?grant_type=refresh_token', logout: '/auth/v1/logout', user: '/auth/v1/user' },
  loginBody: credentials => credentials,
  refreshBody: tokens => ({ refresh_token: tokens.refreshToken }),
  readTokens: ({ body, header }, now) => {
    if (typeof body?.access_token !== 'string' || !body.access_token)
      return undefined
    const context = { now, serverDate: header('date') }
    return {
      accessToken: body.access_token,
      expiresAt: normalizeExpiry(body.expires_at, context) ?? normalizeExpiry(body.expires_in, { now, ttlUnit: 's', relative: true }) ?? jwtExpiry(body.access_token, context),
      refreshToken: body.refresh_token,
    }
  },
  loginUser: body => body?.user,
  // PostgREST answers an expired JWT 401 (PGRST303); Auth answers it 403 `bad_jwt`. Any other 403
  // is Row Level Security or a grant saying no.
  classify: ({ status, body }) => status === 401 || (status === 403 && (body?.error_code ?? errorCode(body)) === 'bad_jwt')
    ? 'expired'
    : status === 403 ? 'denied' : 'other',
}

// The legacy `service_role` key is a JWT whose `role` claim says so.
function isServiceRoleJwt(token: string): boolean {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).role === 'service_role'
  }
  catch {
    return false
  }
}

/**
 * Supabase: every request carries the project's API key in `apikey`. The publishable key (or the
 * legacy `anon` key) may be public: Row Level Security decides what it reaches. The secret key
 * (or legacy `service_role`) bypasses it, so it is held by the server only. With a login
 * (`auth: 'dynamic'`, `token` is then the publishable key) the user's JWT rides beside the key as
 * `Authorization: Bearer`; refresh tokens rotate.
 */
export const supabase = definePreset({
  name: 'supabase',
  credentialLabel: 'API key',
  credential: { header: 'apikey' },
  supports: ['static', 'dynamic'],
  dynamic: supabaseProtocol,
  loginKey: { header: 'apikey' },
  setup: ({ token }) => token.startsWith('sb_secret_') || isServiceRoleJwt(token)
    ? { serverOnly: 'a secret key (sb_secret_…, or the legacy service_role key) bypasses Row Level Security' }
    : {},
})
