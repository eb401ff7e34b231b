import { describe, expect, it } from 'vitest'
import { resolveApis } from '../../src/config/resolve-apis'
import { splitRuntimeConfig } from '../../src/config/runtime-config'
import { isNewerTokenSet, MAX_SEALED_COOKIE, sessionPasswordProblem, sessionPlacement } from '../../src/runtime/core/session-data'
import { createStorageLock } from '../../src/runtime/core/session-lock'
import type { LockStore } from '../../src/runtime/core/session-lock'

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
  it('keeps a sealed session in the cookie up to the limit and moves a larger one to storage', () => {
    expect(sessionPlacement('x'.repeat(MAX_SEALED_COOKIE))).toBe('cookie')
    expect(sessionPlacement('x'.repeat(MAX_SEALED_COOKIE + 1))).toBe('storage')
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

describe('server-held session config', () => {
  const member = { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://site.g.kuroco.app/rcms-api/3', proxy: true }

  it('gives the browser the session routes and login route, and seeds the session password privately', () => {
    const { public: publicConfig, private: privateConfig } = splitRuntimeConfig(resolveApis({ member }, context))
    expect(publicConfig.apis.member).toEqual({
      baseURL: '/api/_cms/member',
      auth: 'none',
      credential: { header: 'X-RCMS-API-ACCESS-TOKEN' },
      proxy: true,
      session: { route: '/api/_cms/_session/member', loginRoute: '/login' },
    })
    expect(privateConfig.sessionPassword).toBe('')
  })

  it('seeds no session password when no API holds a session', () => {
    expect(splitRuntimeConfig(resolveApis({ member: { ...member, proxy: false } }, context)).private).not.toHaveProperty('sessionPassword')
  })
})
