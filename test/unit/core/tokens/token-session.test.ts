import { describe, expect, it } from 'vitest'
import { presets } from '../../../../src/runtime/core/presets'
import type { SessionEvent, TokenStorage } from '../../../../src/runtime/core/tokens/token-session'
import { createTokenSession } from '../../../../src/runtime/core/tokens/token-session'
import type { Send, TokenSet, WireRequest } from '../../../../src/runtime/core/tokens/tokens'

/** A Kuroco-shaped CMS in memory: rotating refresh tokens, reuse rejected, injectable failures. */
function fakeKuroco() {
  const cms = { refreshes: 0, logins: 0, issued: 0, valid: new Set<string>(), refreshTokens: new Set<string>(), fail: '' as '' | 'reject' | '503' | 'network', log: [] as WireRequest[], clockOffsetMs: 0 }
  const issue = (now: number) => {
    const n = ++cms.issued
    cms.valid.add(`A${n}`)
    cms.refreshTokens.add(`R${n}`)
    return { status: 200, body: { access_token: { value: `A${n}`, expiresAt: (now + 60_000) / 1000 }, refresh_token: { value: `R${n}`, expiresAt: (now + 600_000) / 1000 } }, header: () => null }
  }
  const send: Send = async (request) => {
    cms.log.push(request)
    await new Promise(resolve => setTimeout(resolve, 1))
    const body = request.body as Record<string, string>
    if (request.path === '/login') {
      cms.logins++
      return body.password === 'pw' ? { status: 200, body: { grant_token: 'G' }, header: () => null } : { status: 401, body: { errors: ['bad'] }, header: () => null }
    }
    if (request.path === '/token' && (body.grant_token === 'G' || Object.keys(body).length === 0))
      return issue(Date.now() + cms.clockOffsetMs)
    if (request.path === '/token' && body.refresh_token) {
      cms.refreshes++
      if (cms.fail === 'network')
        throw new TypeError('fetch failed')
      if (cms.fail === '503')
        return { status: 503, body: {}, header: () => null }
      if (cms.fail === 'reject' || !cms.refreshTokens.delete(body.refresh_token))
        return { status: 401, body: { errors: ['refresh token is invalid'] }, header: () => null }
      return issue(Date.now() + cms.clockOffsetMs)
    }
    return { status: 204, body: undefined, header: () => null }
  }
  return { cms, send }
}

function memoryStorage(): TokenStorage & { tokens: TokenSet | null } {
  const storage = { tokens: null as TokenSet | null, read: () => storage.tokens, write: (tokens: TokenSet | null) => {
    storage.tokens = tokens
  } }
  return storage
}

function setup(storage = memoryStorage(), fake = fakeKuroco(), lock?: <T>(task: () => Promise<T>) => Promise<T>) {
  const events: SessionEvent[] = []
  const protocol = presets.kuroco.dynamic!
  const session = createTokenSession({ protocol, endpoints: protocol.endpoints, send: fake.send, storage, marginMs: 10_000, lock, onEvent: e => events.push(e) })
  // An API call: 401 unless it carries a token the CMS still accepts.
  const api = (token: string | undefined) => fake.cms.valid.has(token ?? '') ? Promise.resolve(`ok with ${token}`) : Promise.reject(Object.assign(new Error('401'), { status: 401 }))
  const verdict = (error: any) => protocol.classify({ status: error.status, body: undefined })
  return { session, storage, events, ...fake, callApi: () => session.call(api, verdict) }
}

function expire(storage: { tokens: TokenSet | null }) {
  storage.tokens = { ...storage.tokens!, expiresAt: Date.now() - 1 }
}

describe('createTokenSession', () => {
  it('logs in through Kuroco\'s two steps and stores both tokens', async () => {
    const { session, storage, cms, events } = setup()
    await session.login({ email: 'a@b.c', password: 'pw' })
    expect(cms.log.map(r => r.path)).toEqual(['/login', '/token'])
    expect(storage.tokens).toMatchObject({ accessToken: 'A1', refreshToken: 'R1' })
    expect(events.map(e => e.type)).toEqual(['login'])
  })

  it('rejects wrong credentials without storing anything', async () => {
    const { session, storage } = setup()
    await expect(session.login({ email: 'a@b.c', password: 'nope' })).rejects.toMatchObject({ reason: 'rejected', statusCode: 401 })
    expect(storage.tokens).toBeNull()
  })

  it('refreshes once before expiry for 20 concurrent calls, and all of them use the new token', async () => {
    const { session, storage, cms, callApi } = setup()
    await session.login({ email: 'a', password: 'pw' })
    expire(storage)
    cms.valid.clear()
    const results = await Promise.all(Array.from({ length: 20 }, callApi))
    expect(cms.refreshes).toBe(1)
    expect(new Set(results)).toEqual(new Set(['ok with A2']))
  })

  it('replays the waiting requests once after a single refresh when the CMS says "expired"', async () => {
    const { session, cms, callApi } = setup()
    await session.login({ email: 'a', password: 'pw' })
    cms.valid.clear() // the CMS expired A1 early: the client's clock still thinks it is fresh
    const results = await Promise.all(Array.from({ length: 20 }, callApi))
    expect(cms.refreshes).toBe(1)
    expect(new Set(results)).toEqual(new Set(['ok with A2']))
  })

  it('replays only once: a request still refused after the refresh fails instead of looping', async () => {
    const { session, cms } = setup()
    await session.login({ email: 'a', password: 'pw' })
    let attempts = 0
    const alwaysExpired = () => {
      attempts++
      return Promise.reject(Object.assign(new Error('401'), { status: 401 }))
    }
    await expect(session.call(alwaysExpired, () => 'expired')).rejects.toThrow('401')
    expect(attempts).toBe(2)
    expect(cms.refreshes).toBe(1)
  })

  it('logs out cleanly when the CMS rejects the refresh token', async () => {
    const { session, storage, cms, events, callApi } = setup()
    await session.login({ email: 'a', password: 'pw' })
    expire(storage)
    cms.fail = 'reject'
    await expect(callApi()).rejects.toMatchObject({ reason: 'rejected' })
    expect(storage.tokens).toBeNull()
    expect(events.at(-1)).toMatchObject({ type: 'logout', reason: 'rejected' })
    // Logged out: the next call goes out without a token and is not refreshed again.
    await expect(callApi()).rejects.toThrow('401')
    expect(cms.refreshes).toBe(1)
  })

  it.each(['503', 'network'] as const)('stays logged in when the refresh fails with %s, and the next call tries again', async (failure) => {
    const { session, storage, cms, events, callApi } = setup()
    await session.login({ email: 'a', password: 'pw' })
    expire(storage)
    cms.fail = failure
    await expect(callApi()).rejects.toMatchObject({ reason: 'unavailable' })
    expect(storage.tokens).toMatchObject({ refreshToken: 'R1' })
    expect(events.at(-1)).toMatchObject({ type: 'error' })
    cms.fail = ''
    expect(await callApi()).toBe('ok with A2')
    expect(cms.refreshes).toBe(2)
  })

  it('uses a rotated refresh token once across tabs sharing storage and a lock', async () => {
    // Two sessions (two tabs) over one cookie; the lock stands in for navigator.locks.
    const shared = memoryStorage()
    const fake = fakeKuroco()
    let queue = Promise.resolve()
    const lock = <T>(task: () => Promise<T>) => {
      const run = queue.then(task)
      queue = run.then(() => {}, () => {})
      return run
    }
    const tabA = setup(shared, fake, lock)
    const tabB = setup(shared, fake, lock)
    await tabA.session.login({ email: 'a', password: 'pw' })
    expire(shared)
    const results = await Promise.all([tabA.callApi(), tabB.callApi(), tabA.callApi(), tabB.callApi()])
    expect(fake.cms.refreshes).toBe(1)
    expect(new Set(results)).toEqual(new Set(['ok with A2']))
    expect(tabB.events.some(e => e.type === 'logout')).toBe(false)
  })

  it('refreshes an anonymous Kuroco token by asking for a new anonymous one', async () => {
    const { session, storage, cms } = setup()
    await session.login()
    expect(cms.log.at(-1)).toMatchObject({ path: '/token', body: {} })
    expect(storage.tokens).toMatchObject({ anonymous: true, refreshToken: undefined })
  })

  it('does not refresh over and over when the token lives shorter than the margin', async () => {
    const { session, storage, cms } = setup()
    await session.login({ email: 'a', password: 'pw' })
    storage.tokens = { ...storage.tokens!, issuedAt: Date.now(), expiresAt: Date.now() + 5000 } // margin is 10 s
    await session.accessToken()
    await session.accessToken()
    expect(cms.refreshes).toBe(0)
  })

  it('takes over a renewed token (NocoBase x-new-token) and tells listeners', async () => {
    const { session, storage, events } = setup()
    await session.login({ email: 'a', password: 'pw' })
    session.renew('RENEWED')
    expect(storage.tokens).toMatchObject({ accessToken: 'RENEWED', refreshToken: 'R1' })
    expect(events.at(-1)).toMatchObject({ type: 'refresh' })
  })

  it('logout clears the tokens first, then tells the CMS with the old access token', async () => {
    const { session, storage, cms } = setup()
    await session.login({ email: 'a', password: 'pw' })
    await session.logout()
    expect(storage.tokens).toBeNull()
    expect(cms.log.at(-1)).toMatchObject({ path: '/logout', method: 'POST', token: 'A1' })
  })

  it('refreshes a stale access token before logging out, so a CMS that wants a valid bearer ends its session', async () => {
    const { session, storage, cms, events } = setup()
    await session.login({ email: 'a', password: 'pw' })
    expire(storage)
    await session.logout()
    expect(cms.refreshes).toBe(1)
    expect(storage.tokens).toBeNull()
    expect(cms.log.at(-1)).toMatchObject({ path: '/logout', token: 'A2' })
    expect(events.filter(e => e.type === 'logout')).toEqual([{ type: 'logout', reason: 'user', error: undefined }])
  })

  it('logs out without telling the CMS when the stale token\'s refresh is refused (the CMS already ended it)', async () => {
    const { session, storage, cms } = setup()
    await session.login({ email: 'a', password: 'pw' })
    expire(storage)
    cms.fail = 'reject'
    await session.logout()
    expect(storage.tokens).toBeNull()
    expect(cms.log.filter(request => request.path === '/logout')).toEqual([])
  })

  it('still logs out, with the stale token, when the CMS cannot refresh it now', async () => {
    const { session, storage, cms } = setup()
    await session.login({ email: 'a', password: 'pw' })
    expire(storage)
    cms.fail = '503'
    await session.logout()
    expect(storage.tokens).toBeNull()
    expect(cms.log.at(-1)).toMatchObject({ path: '/logout', token: 'A1' })
  })
})

describe('a CMS whose clock is far behind, with no Date header to correct it', () => {
  it('does not refresh before every request: the token that looks expired on arrival is used until the CMS says so', async () => {
    const { session, storage, cms, callApi } = setup()
    // 10 minutes behind, 1-minute tokens: every expiry it sends is already past on our clock.
    cms.clockOffsetMs = -600_000
    await session.login({ email: 'a@b.c', password: 'pw' })
    expect(storage.tokens!.expiresAt).toBeUndefined()
    for (let index = 0; index < 5; index++)
      await callApi()
    expect(cms.refreshes).toBe(0)
    // The CMS ends the token: one refresh, one replay.
    cms.valid.clear()
    expect(await callApi()).toBe('ok with A2')
    expect(cms.refreshes).toBe(1)
  })

  it('uses a JWT\'s own lifetime (exp − iat) when the expiry it was given is already past', async () => {
    const jwt = (iat: number, exp: number) => `h.${btoa(JSON.stringify({ iat, exp }))}.s`
    const issuedAt = 1_800_000_000
    // Issued at the CMS's `iat`, valid 15 minutes; our clock reads 20 minutes later.
    const now = (issuedAt + 1200) * 1000
    const send: Send = async () => ({ status: 200, body: { access_token: jwt(issuedAt, issuedAt + 900) }, header: () => null })
    const storage = memoryStorage()
    const protocol = presets.generic.dynamic!
    const session = createTokenSession({ protocol, endpoints: protocol.endpoints, send, storage, marginMs: 10_000, now: () => now })
    await session.login({ user: 'u', password: 'p' })
    expect(storage.tokens!.expiresAt).toBe(now + 900_000)
  })
})
