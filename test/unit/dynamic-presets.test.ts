import { describe, expect, it } from 'vitest'
import { presets } from '../../src/runtime/core/presets'
import type { DynamicProtocol } from '../../src/runtime/core/presets'
import { genericProtocol } from '../../src/runtime/core/presets/generic'
import type { WireResponse } from '../../src/runtime/core/tokens'

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
    ['generic', 401, {}, 'expired'],
    ['generic', 500, {}, 'other'],
  ]
  it.each(cases)('%s %i → %s', (name, status, body, verdict) => {
    expect(protocol(name).classify({ status, body })).toBe(verdict)
  })

  it('has a login protocol for every preset that offers dynamic mode, and none for microCMS', () => {
    for (const preset of Object.values(presets))
      expect(!!preset.dynamic).toBe(preset.supports.includes('dynamic'))
  })
})
