import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { mockControls } from '../mock-cms/controls'
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
