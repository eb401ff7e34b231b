import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../../../src/config/resolve-apis'
import { splitRuntimeConfig } from '../../../../src/config/runtime-config'
import { isNewerTokenSet, sessionLifetime, sessionPasswordProblem } from '../../../../src/runtime/core/session/session-data'
import { pickUser } from '../../../../src/runtime/core/session/session-user'
import { createStorageLock } from '../../../../src/runtime/core/session/session-lock'
import type { LockStore } from '../../../../src/runtime/core/session/session-lock'

const context = { production: true, warn: () => {} }

/** A shared store as two instances see it: set-if-absent, delete-if-owner. */
function fakeStore() {
  const keys = new Map<string, string>()
  const store: LockStore = {
    acquire: async (key, owner) => keys.has(key) ? false : (keys.set(key, owner), true),
    release: async (key, owner) => void (keys.get(key) === owner && keys.delete(key)),
  }
  return { keys, store }
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0))

describe('refresh lock in shared storage', () => {
  it('runs the tasks of two instances one after the other, never together', async () => {
    const { keys, store } = fakeStore()
    const instanceA = createStorageLock(store, { ttlMs: 1000, waitMs: 1000, pollMs: 1 })('session-lock:s1')
    const instanceB = createStorageLock(store, { ttlMs: 1000, waitMs: 1000, pollMs: 1 })('session-lock:s1')
    const log: string[] = []
    const task = (name: string) => async () => {
      log.push(`${name} start`)
      await tick()
      await tick()
      log.push(`${name} end`)
      return name
    }
    expect(await Promise.all([instanceA(task('a')), instanceB(task('b'))])).toEqual(['a', 'b'])
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end'])
    expect(keys.size).toBe(0)
  })

  it('releases the lock when the task fails', async () => {
    const { keys, store } = fakeStore()
    const lock = createStorageLock(store, { ttlMs: 1000, waitMs: 1000, pollMs: 1 })('k')
    await expect(lock(async () => {
      throw new Error('refresh failed')
    })).rejects.toThrow('refresh failed')
    expect(keys.size).toBe(0)
  })

  it('gives up as "unavailable" (the session is kept) when the holder never lets go', async () => {
    const { store } = fakeStore()
    await store.acquire('k', 'crashed-instance', 1000)
    let clock = 0
    const lock = createStorageLock(store, { ttlMs: 1000, waitMs: 50, pollMs: 10, now: () => clock, sleep: async (ms) => {
      clock += ms
    } })('k')
    await expect(lock(async () => 'never')).rejects.toMatchObject({ reason: 'unavailable' })
  })

  it('does not remove a lock that another owner took after ours expired', async () => {
    const { keys, store } = fakeStore()
    const lock = createStorageLock(store, { ttlMs: 1000, waitMs: 1000, pollMs: 1 })('k')
    await lock(async () => {
      keys.set('k', 'someone-else')
    })
    expect(keys.get('k')).toBe('someone-else')
  })
})

describe('session data', () => {
  it('lives as long as dynamic.cookie.maxAge, else the refresh token (the CMS\'s answer, else its JWT exp), else the preset\'s default', () => {
    const now = 1_700_000_000_000
    const jwt = (exp: number) => `h.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.s`
    const week = 7 * 86_400
    expect(sessionLifetime({ accessToken: 'a', refreshExpiresAt: now + 60_000 }, { maxAge: 600, presetDefault: week }, now)).toBe(600)
    expect(sessionLifetime({ accessToken: 'a', refreshExpiresAt: now + 60_000 }, { presetDefault: week }, now)).toBe(60)
    expect(sessionLifetime({ accessToken: 'a', refreshToken: jwt(now / 1000 + 3600) }, { presetDefault: week }, now)).toBe(3600)
    expect(sessionLifetime({ accessToken: 'a', refreshToken: 'opaque' }, { presetDefault: week }, now)).toBe(week)
    // Nothing says: a browser-session cookie.
    expect(sessionLifetime({ accessToken: 'a', refreshToken: 'opaque' }, {}, now)).toBeUndefined()
  })

  it('refuses a missing or short session password and names the env variable', () => {
    expect(sessionPasswordProblem('')).toMatch(/NUXT_CMS_AUTH_SESSION_PASSWORD is not set/)
    expect(sessionPasswordProblem(undefined)).toMatch(/is not set/)
    expect(sessionPasswordProblem('x'.repeat(31))).toMatch(/has 31 characters; it needs at least 32/)
    expect(sessionPasswordProblem('x'.repeat(32))).toBeUndefined()
  })

  it('takes tokens from elsewhere only when they were issued later', () => {
    const old = { accessToken: 'a1', issuedAt: 1 }
    expect(isNewerTokenSet({ accessToken: 'a2', issuedAt: 2 }, old)).toBe(true)
    expect(isNewerTokenSet({ accessToken: 'a0', issuedAt: 0 }, old)).toBe(false)
    expect(isNewerTokenSet(old, old)).toBe(false)
    // A logged-out session is not brought back by tokens another request left behind.
    expect(isNewerTokenSet({ accessToken: 'a2', issuedAt: 2 }, null)).toBe(false)
  })
})

describe('the user a session keeps', () => {
  const directusMe = { id: 'u1', email: 'a@example.com', first_name: 'A', password: '**********', tfa_secret: 'JBSW', token: 'static', auth_data: { x: 1 }, role: 'r1', extra: 'x' }

  it('keeps only the configured fields', () => {
    expect(pickUser(directusMe, ['id', 'email', 'first_name', 'role'])).toEqual({ id: 'u1', email: 'a@example.com', first_name: 'A', role: 'r1' })
  })

  it('never keeps a secret-like field, at any depth, even when none are configured', () => {
    expect(pickUser(directusMe, undefined)).toEqual({ id: 'u1', email: 'a@example.com', first_name: 'A', role: 'r1', extra: 'x' })
    expect(pickUser({ name: 'n', profile: { apiKey: 'k', passwordHash: 'h', city: 'c' }, groups: [{ id: 1, secret: 's' }] }, undefined)).toEqual({ name: 'n', profile: { city: 'c' }, groups: [{ id: 1 }] })
    expect(pickUser(null, ['id'])).toBeNull()
  })
})

describe('server-held session config', () => {
  const member = { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://site.g.kuroco.app/rcms-api/3', proxy: true }

  it('gives the browser the session routes and login route, and seeds the session password privately', () => {
    const { public: publicConfig, private: privateConfig } = splitRuntimeConfig(resolveApis({ member }, context))
    expect(publicConfig.apis.member).toEqual({
      mode: 'proxy-session',
      baseURL: '/api/_cms/member',
      auth: 'none',
      credential: { header: 'X-RCMS-API-ACCESS-TOKEN' },
      session: { route: '/api/_cms/_session/member', loginRoute: '/login' },
    })
    expect(privateConfig.sessionPassword).toBe('')
  })

  it('seeds the session password and the storage timeout for a build whose only session API is a cookie session', () => {
    const cookieOnly = { preset: 'kuroco', auth: 'cookie', baseURL: 'https://site.g.kuroco.app/rcms-api/4', proxy: true }
    const split = splitRuntimeConfig(resolveApis({ cookieOnly }, context))
    expect(split.private).toMatchObject({ sessionPassword: '', storageTimeout: 2000 })
    expect(split.public.apis.cookieOnly).toMatchObject({ mode: 'proxy-cookie', session: { route: '/api/_cms/_session/cookieOnly', loginRoute: '/login' } })
  })

  it('keeps the server-only session options out of the public config', () => {
    const directus = { preset: 'directus', auth: 'dynamic', baseURL: 'https://d.example', proxy: true, dynamic: { userFields: ['id', 'email'], forwardClientAddress: true } }
    const [resolved] = resolveApis({ directus }, context)
    expect(resolved!.dynamic).toMatchObject({ userFields: ['id', 'email'], forwardClientAddress: true, lifetime: 7 * 86_400 })
    expect(JSON.stringify(splitRuntimeConfig([resolved!]).public)).not.toMatch(/userFields|forwardClientAddress|lifetime/)
  })

  it('refuses a secret-like user field, and the server-only options in direct mode', () => {
    expect(() => resolveApis({ d: { preset: 'directus', auth: 'dynamic', baseURL: 'https://d.example', proxy: true, dynamic: { userFields: ['id', 'password'] } } }, context)).toThrow(/cmsAuth.apis.d.dynamic.userFields has "password"/)
    expect(() => resolveApis({ d: { preset: 'directus', auth: 'dynamic', baseURL: 'https://d.example', dynamic: { forwardClientAddress: true } } }, context)).toThrow(/dynamic.forwardClientAddress only applies with proxy: true/)
    expect(() => resolveApis({ c: { preset: 'kuroco', auth: 'cookie', baseURL: 'https://k.example', endpoints: { user: '/profile' }, cookie: { userFields: ['name'] } } }, context)).toThrow(/cookie.userFields only applies with proxy: true/)
  })

  it('seeds no session password when no API holds a session', () => {
    expect(splitRuntimeConfig(resolveApis({ member: { ...member, proxy: false } }, context)).private).not.toHaveProperty('sessionPassword')
  })
})
