import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { mockControls } from '../mock-cms/controls'
import { mockTokens } from '../mock-cms/tokens'
import { listenMockCms } from '../mock-cms/listen'
import { createNodeSession } from '../utils/node-session'

// Each preset's login → refresh → logout flow against the mock CMS over real HTTP: the wire
// shapes of protocols.md on both sides, without building a Nuxt app.
const cms = await listenMockCms()
afterAll(() => cms.close())
beforeEach(() => cms.reset())

const { knobs, expireAccess } = mockControls(cms)

const vendors = [
  { preset: 'kuroco', base: '/kuroco/rcms-api/3', login: { email: 'user1@example.com', password: 'password-1' }, members: '/content/members' },
  { preset: 'directus', base: '/directus', login: { email: 'user1@example.com', password: 'password-1' }, members: '/items/members' },
  { preset: 'strapi', base: '/strapi', login: { identifier: 'user1@example.com', password: 'password-1' }, members: '/api/members' },
] as const

describe.each(vendors)('$preset: login, refresh, rotation, logout against the mock CMS', ({ preset, base, login, members }) => {
  it('logs in and reads members-only content with the access token', async () => {
    const { session, get } = createNodeSession(preset, cms.url + base)
    await session.login(login)
    expect(JSON.stringify(await get(members))).toContain('User 1')
    expect(cms.state.counters[`${preset}.login`]).toBe(1)
  })

  it('refreshes once for 20 concurrent requests after the CMS expired the token, and all succeed', async () => {
    const { session, get } = createNodeSession(preset, cms.url + base)
    await session.login(login)
    await expireAccess()
    const results = await Promise.all(Array.from({ length: 20 }, () => get(members)))
    expect(results.every(result => JSON.stringify(result).includes('User 1'))).toBe(true)
    expect(cms.state.counters[`${preset}.refresh`]).toBe(1)
  })

  it('stays logged in when the refresh meets a 5xx or a dropped connection, and is logged out when the CMS rejects it', async () => {
    const { session, get, storage, events } = createNodeSession(preset, cms.url + base)
    await session.login(login)
    await expireAccess()
    for (const failRefresh of ['500', 'network']) {
      await knobs({ failRefresh })
      await expect(get(members)).rejects.toThrow()
      expect(storage.tokens()).not.toBeNull()
      expect(events.at(-1)).toMatchObject({ type: 'error', error: { reason: 'unavailable' } })
    }
    await knobs({ failRefresh: 'reject' })
    await expect(get(members)).rejects.toThrow()
    expect(storage.tokens()).toBeNull()
    expect(events.at(-1)).toMatchObject({ type: 'logout', reason: 'rejected' })
  })
})

describe('rotation as Directus does it', () => {
  it('refuses a refresh token used a second time', async () => {
    const first = createNodeSession('directus', `${cms.url}/directus`)
    await first.session.login({ email: 'user2@example.com', password: 'password-2' })
    const copied = first.storage.tokens()!
    await first.session.refresh()
    const second = createNodeSession('directus', `${cms.url}/directus`)
    second.storage.write(copied)
    await expect(second.session.refresh()).rejects.toMatchObject({ reason: 'rejected', statusCode: 401 })
    expect(cms.state.counters['directus.refresh.rejected']).toBe(1)
  })
})

describe('NocoBase renewal', () => {
  it('takes over x-new-token from a response to an expired but renewable token', async () => {
    const { session, get, storage } = createNodeSession('nocobase', `${cms.url}/nocobase/api`)
    await session.login({ account: 'user3@example.com', password: 'password-3' })
    const old = storage.tokens()!.accessToken
    await expireAccess()
    expect(JSON.stringify(await get('/members:list'))).toContain('User 3')
    expect(storage.tokens()!.accessToken).not.toBe(old)
    expect(JSON.stringify(await get('/members:list'))).toContain('User 3')
    expect(cms.state.counters['nocobase.refresh']).toBe(1)
  })

  it('logs out when the session is past renewal (no refresh token to fall back on)', async () => {
    const { session, get, storage } = createNodeSession('nocobase', `${cms.url}/nocobase/api`)
    await session.login({ account: 'user3@example.com', password: 'password-3' })
    await knobs({ renewWindow: 0 })
    await expireAccess()
    await expect(get('/members:list')).rejects.toThrow('401')
    expect(storage.tokens()).toBeNull()
  })
})

describe('Kuroco anonymous token', () => {
  it('gets an anonymous token with an empty token request', async () => {
    const { session, storage } = createNodeSession('kuroco', `${cms.url}/kuroco/rcms-api/3`)
    await session.login()
    expect(storage.tokens()).toMatchObject({ anonymous: true })
    expect(cms.state.counters['kuroco.anonymous']).toBe(1)
  })
})

describe('Supabase: the project key beside the login, rotating refresh tokens', () => {
  const apikey = { apikey: mockTokens.supabase }
  const login = { email: 'user2@example.com', password: 'password-2' }

  it('logs in, survives the CMS expiring the token with one refresh for 20 requests, and sends the key with every request', async () => {
    const { session, get } = createNodeSession('supabase', `${cms.url}/supabase`, { headers: apikey })
    await session.login(login)
    expect(await get('/rest/v1/members')).toEqual([{ id: 102, title: 'For User 2' }])
    await expireAccess()
    const results = await Promise.all(Array.from({ length: 20 }, () => get('/rest/v1/members')))
    expect(results.every(rows => JSON.stringify(rows).includes('User 2'))).toBe(true)
    expect(cms.state.counters['supabase.refresh']).toBe(1)
    const supabaseCalls = cms.state.requests.filter(request => request.vendor === 'supabase')
    expect(supabaseCalls.every(request => request.headers.apikey === mockTokens.supabase)).toBe(true)
  })

  it('refuses a refresh token used a second time, which logs out', async () => {
    const first = createNodeSession('supabase', `${cms.url}/supabase`, { headers: apikey })
    await first.session.login(login)
    const copied = first.storage.tokens()!
    await first.session.refresh()
    const second = createNodeSession('supabase', `${cms.url}/supabase`, { headers: apikey })
    second.storage.write(copied)
    await expect(second.session.refresh()).rejects.toMatchObject({ reason: 'rejected', statusCode: 400, data: { error_code: 'refresh_token_already_used' } })
    expect(second.storage.tokens()).toBeNull()
  })

  it('cannot log in without the project key: the gateway refuses before Auth sees it', async () => {
    const { session } = createNodeSession('supabase', `${cms.url}/supabase`)
    await expect(session.login(login)).rejects.toMatchObject({ reason: 'rejected', statusCode: 401, data: { message: 'No API key found in request' } })
    expect(cms.state.counters['supabase.login']).toBeUndefined()
  })
})

// Payload and PocketBase renew the access token with itself: no refresh token exists.
describe.each([
  { preset: 'payload', base: '/payload', login: { email: 'user4@example.com', password: 'password-4' }, members: '/api/members', refresh: '/payload/api/users/refresh-token', scheme: 'JWT ' },
  { preset: 'pocketbase', base: '/pocketbase', login: { identity: 'user4@example.com', password: 'password-4' }, members: '/api/collections/members/records', refresh: '/pocketbase/api/collections/users/auth-refresh', scheme: '' },
] as const)('$preset: refresh with the current token', ({ preset, base, login, members, refresh, scheme }) => {
  const membersOf = (answer: unknown) => JSON.stringify(answer).includes('User 4')

  it('logs in with no refresh token and reads members-only content', async () => {
    const { session, get, storage } = createNodeSession(preset, cms.url + base)
    await session.login(login)
    expect(storage.tokens()!.refreshToken).toBeUndefined()
    expect(membersOf(await get(members))).toBe(true)
  })

  it('renews a token that is due once for 20 concurrent requests, sending the current token to the refresh endpoint', async () => {
    // A token is due after half its life (the margin is capped at that). `exp` counts whole seconds,
    // so a 4 s token lives 3–4 s as the module sees it: wait from what it saw, not a fixed time,
    // to land past the middle with a second to spare before it expires (it renews only itself).
    await knobs({ accessTtl: 4 })
    const { session, get, storage } = createNodeSession(preset, cms.url + base, { marginMs: 30_000 })
    await session.login(login)
    const { accessToken: old, expiresAt, issuedAt } = storage.tokens()!
    const due = issuedAt! + (expiresAt! - issuedAt!) / 2
    await new Promise(resolve => setTimeout(resolve, due + 300 - Date.now()))
    const results = await Promise.all(Array.from({ length: 20 }, () => get(members)))
    expect(results.every(membersOf)).toBe(true)
    expect(cms.state.counters[`${preset}.refresh`]).toBe(1)
    const [renewal] = cms.state.requests.filter(request => request.path === refresh)
    expect(renewal!.headers.authorization).toBe(`${scheme}${old}`)
    expect(storage.tokens()!.accessToken).not.toBe(old)
  })

  it('ends the session without asking the CMS when the token already expired: nothing can renew it', async () => {
    await knobs({ accessTtl: 1 })
    const { session, get, storage, events } = createNodeSession(preset, cms.url + base)
    await session.login(login)
    await new Promise(resolve => setTimeout(resolve, 1100))
    await expect(get(members)).rejects.toMatchObject({ reason: 'rejected' })
    expect(cms.state.counters[`${preset}.refresh`]).toBeUndefined()
    expect(storage.tokens()).toBeNull()
    expect(events.at(-1)).toMatchObject({ type: 'logout', reason: 'rejected' })
  })

  it('stays logged in when the renewal meets a 5xx or a dropped connection, and is logged out when the CMS refuses it', async () => {
    const { session, storage, events } = createNodeSession(preset, cms.url + base)
    await session.login(login)
    for (const failRefresh of ['500', 'network']) {
      await knobs({ failRefresh })
      await expect(session.refresh()).rejects.toMatchObject({ reason: 'unavailable' })
      expect(storage.tokens()).not.toBeNull()
    }
    await knobs({ failRefresh: 'reject' })
    await expect(session.refresh()).rejects.toMatchObject({ reason: 'rejected' })
    expect(storage.tokens()).toBeNull()
    expect(events.at(-1)).toMatchObject({ type: 'logout', reason: 'rejected' })
  })
})

describe('Payload logout and PocketBase guests', () => {
  it('Payload: logs out at the CMS with the current token, which then stops working', async () => {
    const { session, storage } = createNodeSession('payload', `${cms.url}/payload`)
    await session.login({ email: 'user5@example.com', password: 'password-5' })
    const token = storage.tokens()!.accessToken
    await session.logout()
    expect(cms.state.counters['payload.logout']).toBe(1)
    const after = await fetch(`${cms.url}/payload/api/members`, { headers: { authorization: `JWT ${token}` } })
    expect(after.status).toBe(403)
    expect(await after.json()).toEqual({ errors: [{ message: 'You are not allowed to perform this action.' }] })
  })

  it('PocketBase: a request with an expired token is answered as to a guest (why the module renews before exp)', async () => {
    const { session, storage } = createNodeSession('pocketbase', `${cms.url}/pocketbase`)
    await session.login({ identity: 'user5@example.com', password: 'password-5' })
    await expireAccess()
    const answer = await fetch(`${cms.url}/pocketbase/api/collections/members/records`, { headers: { authorization: storage.tokens()!.accessToken } })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ totalItems: 0, items: [] })
  })
})
