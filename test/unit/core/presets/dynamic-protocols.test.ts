import { describe, expect, it } from 'vitest'
import { presets } from '../../../../src/runtime/core/presets'
import type { DynamicProtocol } from '../../../../src/runtime/core/presets'
import { genericProtocol } from '../../../../src/runtime/core/presets/generic'
import type { WireResponse } from '../../../../src/runtime/core/tokens/tokens'

const now = Date.parse('2026-11-01T12:00:00Z')
const jwt = (exp: number) => `e30.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.sig`
const response = (body: unknown, headers: Record<string, string> = {}, status = 200): WireResponse =>
  ({ status, body, header: name => headers[name.toLowerCase()] })
const protocol = (name: keyof typeof presets): DynamicProtocol => presets[name].dynamic!

describe('dynamic presets: requests and responses as each vendor documents them', () => {
  it('Kuroco: login_save 0, grant_token exchange, refresh_token body, {} for anonymous', () => {
    const kuroco = protocol('kuroco')
    expect(kuroco.loginBody({ email: 'a@b.c', password: 'pw' })).toEqual({ login_save: 0, email: 'a@b.c', password: 'pw' })
    expect(kuroco.exchangeBody!({ grant_token: 'g', status: 0, member_id: 9 })).toEqual({ grant_token: 'g' })
    expect(kuroco.anonymousBody).toEqual({})
    expect(kuroco.refreshBody!({ accessToken: 'a', refreshToken: 'r' })).toEqual({ refresh_token: 'r' })
    expect(kuroco.endpoints).toMatchObject({ login: '/login', token: '/token', refresh: '/token', logout: '/logout', user: '/profile' })
  })

  it('Kuroco: reads value/expiresAt pairs whatever the expiresAt type', () => {
    const at = now + 3_600_000
    for (const expiresAt of [at / 1000, at, new Date(at).toISOString()]) {
      const tokens = protocol('kuroco').readTokens(response({ access_token: { value: 'A', expiresAt }, refresh_token: { value: 'R', expiresAt } }), now)
      expect(tokens).toEqual({ accessToken: 'A', expiresAt: at, refreshToken: 'R', refreshExpiresAt: at })
    }
    expect(protocol('kuroco').readTokens(response({ grant_token: 'g' }), now)).toBeUndefined()
  })

  it('Directus: json mode, expires as a lifetime in ms, refresh token in refresh and logout bodies', () => {
    const directus = protocol('directus')
    expect(directus.loginBody({ email: 'a', password: 'b' })).toEqual({ email: 'a', password: 'b', mode: 'json' })
    expect(directus.refreshBody!({ accessToken: 'a', refreshToken: 'r' })).toEqual({ refresh_token: 'r', mode: 'json' })
    expect(directus.logoutBody!({ accessToken: 'a', refreshToken: 'r' })).toEqual({ refresh_token: 'r', mode: 'json' })
    expect(directus.readTokens(response({ data: { expires: 900_000, refresh_token: 'R', access_token: 'A' } }), now))
      .toEqual({ accessToken: 'A', expiresAt: now + 900_000, refreshToken: 'R' })
    expect(directus.readUser!({ data: { id: 'u1' } })).toEqual({ id: 'u1' })
  })

  it('Strapi: identifier/password, jwt exp as expiry, rotated refreshToken, user from the login answer', () => {
    const strapi = protocol('strapi')
    const exp = now / 1000 + 1800
    expect(strapi.readTokens(response({ jwt: jwt(exp), refreshToken: 'R', user: { id: 1 } }), now))
      .toEqual({ accessToken: jwt(exp), expiresAt: exp * 1000, refreshToken: 'R' })
    expect(strapi.loginUser!({ jwt: 'x', user: { id: 1 } })).toEqual({ id: 1 })
    expect(strapi.refreshBody!({ accessToken: 'a', refreshToken: 'r' })).toEqual({ refreshToken: 'r' })
  })

  it('NocoBase: token and user from auth:signIn, renewal from x-new-token, no refresh request', () => {
    const nocobase = protocol('nocobase')
    const token = jwt(now / 1000 + 60)
    expect(nocobase.readTokens(response({ data: { user: { id: 1 }, token } }), now)).toEqual({ accessToken: token, expiresAt: now + 60_000 })
    expect(nocobase.loginUser!({ data: { user: { id: 1 }, token } })).toEqual({ id: 1 })
    expect(nocobase.renewedToken!(response({}, { 'x-new-token': 'NEW' }))).toBe('NEW')
    expect(nocobase.endpoints.refresh).toBeUndefined()
  })

  it('Cockpit classic: the user\'s api_key is the token, sent as Cockpit-Token, and kept out of the user', () => {
    const cockpit = protocol('cockpit')
    expect(cockpit.readTokens(response({ user: 'ada', api_key: 'KEY' }), now)).toEqual({ accessToken: 'KEY' })
    expect(cockpit.loginUser!({ user: 'ada', api_key: 'KEY' })).toEqual({ user: 'ada' })
    expect(cockpit.credential).toEqual({ header: 'Cockpit-Token' })
  })

  it('Payload: token and exp (epoch s) from login, refreshedToken from refresh-token, renewed with itself until it expires', () => {
    const payload = protocol('payload')
    const exp = now / 1000 + 7200
    const login = payload.readTokens(response({ message: 'Authentication Passed', user: { id: 1 }, token: jwt(exp + 5), exp }), now)
    // `exp` wins over the JWT's own claim; the session can be renewed until that moment, no longer.
    expect(login).toEqual({ accessToken: jwt(exp + 5), expiresAt: exp * 1000, refreshExpiresAt: exp * 1000 })
    expect(payload.readTokens(response({ message: 'Token refresh successful', refreshedToken: 'R', exp }), now)).toMatchObject({ accessToken: 'R', expiresAt: exp * 1000 })
    // `removeTokenFromResponses`: only the server, which sees Set-Cookie, finds the token.
    expect(payload.readTokens(response({ user: { id: 1 }, exp }, { 'set-cookie': 'payload-token=C; Path=/; HttpOnly' }), now)).toMatchObject({ accessToken: 'C' })
    expect(payload.refreshWith).toBe('access-token')
    expect(payload.refreshBody).toBeUndefined()
    expect(payload.loginUser!({ user: { id: 1 }, token: 't' })).toEqual({ id: 1 })
    // `/me` of a visitor nobody logged in: 200 with `user: null`.
    expect(payload.readUser!({ user: null })).toBeNull()
    expect(payload.endpoints).toEqual({ login: '/api/users/login', refresh: '/api/users/refresh-token', logout: '/api/users/logout', user: '/api/users/me' })
  })

  it('PocketBase: token and record from auth-with-password, expiry from the JWT, renewed with itself', () => {
    const pocketbase = protocol('pocketbase')
    const token = jwt(now / 1000 + 604_800)
    expect(pocketbase.readTokens(response({ token, record: { id: 'r1' } }), now)).toEqual({ accessToken: token, expiresAt: now + 604_800_000, refreshExpiresAt: now + 604_800_000 })
    expect(pocketbase.loginUser!({ token, record: { id: 'r1', email: 'a@b.c' } })).toEqual({ id: 'r1', email: 'a@b.c' })
    expect(pocketbase.refreshWith).toBe('access-token')
    expect(pocketbase.loginBody({ identity: 'a@b.c', password: 'p' })).toEqual({ identity: 'a@b.c', password: 'p' })
    // Tokens are stateless: there is nothing to log out of at the CMS.
    expect(pocketbase.endpoints.logout).toBeUndefined()
  })

  it('Supabase: password and refresh_token grants, expires_at (epoch s) before expires_in, rotated refresh token', () => {
    const supabase = protocol('supabase')
    const answer = { access_token: 'A', token_type: 'bearer', expires_in: 3600, expires_at: now / 1000 + 3000, refresh_token: 'R', user: { id: 'u1' } }
    expect(supabase.readTokens(response(answer), now)).toEqual({ accessToken: 'A', expiresAt: now + 3_000_000, refreshToken: 'R' })
    expect(supabase.readTokens(response({ ...answer, expires_at: undefined }), now)!.expiresAt).toBe(now + 3_600_000)
    expect(supabase.refreshBody!({ accessToken: 'A', refreshToken: 'R' })).toEqual({ refresh_token: 'R' })
    expect(supabase.loginUser!(answer)).toEqual({ id: 'u1' })
    expect(supabase.endpoints).toMatchObject({ login: '/auth/v1/token?grant_type=password', refresh: '/auth/v1/token?grant_type=refresh_token', logout: '/auth/v1/logout', user: '/auth/v1/user' })
  })

  it('WordPress cookie mode: a wp-login.php form post, and the REST nonce kept with the cookies for 12 hours', () => {
    const wordpress = protocol('wordpress')
    expect(wordpress.cookieLogin!({ username: 'ada', password: 'p w' }).toString()).toBe('log=ada&pwd=p+w')
    expect(wordpress.cookieLogin!({ username: 'ada', password: 'p', remember: true }).get('rememberme')).toBe('forever')
    expect(wordpress.cookieToken).toEqual({ endpoint: '/wp-admin/admin-ajax.php?action=rest-nonce', header: 'x-wp-nonce', name: 'wp_rest_nonce', maxAge: 43_200 })
    expect(wordpress.endpoints).toEqual({ login: '/wp-login.php', user: '/wp-json/wp/v2/users/me' })
  })

  it('generic: JSON pointers for tokens, expiry and user, a configurable refresh field', () => {
    const custom = genericProtocol({ accessToken: '/auth/token', refreshToken: '/auth/renew', expires: '/auth/ttl', expiresUnit: 'ms', user: '/me', refreshField: 'renew' })
    expect(custom.readTokens(response({ auth: { token: 'A', renew: 'R', ttl: 5000 } }), now)).toEqual({ accessToken: 'A', refreshToken: 'R', expiresAt: now + 5000 })
    expect(custom.loginUser!({ me: { id: 7 } })).toEqual({ id: 7 })
    expect(custom.refreshBody!({ accessToken: 'A', refreshToken: 'R' })).toEqual({ renew: 'R' })
    // The default is OAuth-shaped: expires_in in seconds, else the JWT's exp.
    const token = jwt(now / 1000 + 120)
    expect(genericProtocol().readTokens(response({ access_token: 'A', expires_in: 3600 }), now)!.expiresAt).toBe(now + 3_600_000)
    expect(genericProtocol().readTokens(response({ access_token: token }), now)!.expiresAt).toBe(now + 120_000)
  })
})

describe('classification: which answers mean "refresh and replay once"', () => {
  const cases: [keyof typeof presets, number, unknown, string][] = [
    ['kuroco', 401, { errors: ['[GW] Access Token is required'] }, 'expired'],
    ['kuroco', 403, { errors: [{ code: 'forbidden', message: '' }] }, 'denied'],
    ['kuroco', 404, { errors: ['[GW] API using this method and path does not exist'] }, 'other'],
    ['directus', 401, { errors: [{ message: 'Token expired.', extensions: { code: 'TOKEN_EXPIRED' } }] }, 'expired'],
    ['directus', 403, { errors: [{ message: 'Invalid token', extensions: { code: 'INVALID_TOKEN' } }] }, 'expired'],
    ['directus', 403, { errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] }, 'denied'],
    ['directus', 400, { errors: [{ message: 'Bad', extensions: { code: 'INVALID_PAYLOAD' } }] }, 'other'],
    ['strapi', 401, { data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials' } }, 'expired'],
    ['strapi', 403, { data: null, error: { status: 403, name: 'ForbiddenError', message: 'Forbidden' } }, 'denied'],
    ['nocobase', 401, { errors: [{ message: 'expired', code: 'EXPIRED_SESSION' }] }, 'expired'],
    ['nocobase', 403, { errors: [{ message: 'No permissions' }] }, 'denied'],
    ['cockpit', 412, { error: 'Authentication failed' }, 'expired'],
    ['cockpit', 401, { error: 'Authentication failed' }, 'expired'],
    ['cockpit', 403, { error: 'Permission denied' }, 'denied'],
    ['payload', 401, { errors: [{ message: 'The email or password provided is incorrect.' }] }, 'expired'],
    // Payload answers a missing or invalid token and a forbidden action alike: never a refresh (nor a cookie session's end).
    ['payload', 403, { errors: [{ message: 'You are not allowed to perform this action.' }] }, 'denied'],
    ['pocketbase', 401, { status: 401, message: 'The request requires valid record authorization token.', data: {} }, 'expired'],
    ['pocketbase', 403, { status: 403, message: 'Only superusers can perform this action.', data: {} }, 'denied'],
    ['supabase', 401, { code: 'PGRST303', details: null, hint: null, message: 'JWT expired' }, 'expired'],
    ['supabase', 403, { code: 403, error_code: 'bad_jwt', msg: 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired' }, 'expired'],
    ['supabase', 403, { code: '42501', details: null, hint: null, message: 'permission denied for table members' }, 'denied'],
    ['supabase', 400, { code: 400, error_code: 'refresh_token_already_used', msg: 'Invalid Refresh Token: Already Used' }, 'other'],
    ['wordpress', 401, { code: 'rest_not_logged_in', message: 'You are not currently logged in.', data: { status: 401 } }, 'expired'],
    ['wordpress', 403, { code: 'rest_forbidden', message: 'Sorry, you are not allowed to do that.', data: { status: 403 } }, 'denied'],
    ['generic', 401, {}, 'expired'],
    ['generic', 500, {}, 'other'],
  ]
  it.each(cases)('%s %i → %s', (name, status, body, verdict) => {
    expect(protocol(name).classify({ status, body })).toBe(verdict)
  })

  it('has a login protocol for every preset that offers a login (dynamic or cookie mode), and none for microCMS', () => {
    for (const preset of Object.values(presets))
      expect(!!preset.dynamic).toBe(preset.supports.includes('dynamic') || preset.supports.includes('cookie'))
  })
})
