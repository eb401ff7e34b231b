import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RouteLocationNormalized } from 'vue-router'
import { useNuxtApp } from '#imports'
import { loggedOutState } from '../../../../src/runtime/core/auth-state'
import type { CmsAuthState } from '../../../../src/runtime/core/auth-state'
import cmsAuthMiddleware from '../../../../src/runtime/app/login/middleware'
import { createRemoteLogin } from '../../../../src/runtime/app/login/remote-login'
import { useCmsRegistry } from '../../../../src/runtime/app/registry'

// The fixture (test/fixtures/unit-nuxt) has two direct dynamic APIs: `member` (login route
// /login, first in cmsAuth.apis) and `shop` (/shop/login).
const member: CmsAuthState = { status: 'logged-in', user: null, expiresAt: null }
const route = (fullPath: string, meta: Record<string, unknown> = {}) => ({ path: fullPath.split('?')[0], fullPath, meta }) as unknown as RouteLocationNormalized
const run = (to: RouteLocationNormalized) => useNuxtApp().runWithContext(() => cmsAuthMiddleware(to, to))

const logins = () => useCmsRegistry(useNuxtApp()).logins
let saved: ReturnType<typeof logins>
beforeAll(() => {
  saved = { ...logins() }
})
afterEach(() => {
  Object.assign(logins(), saved)
  for (const name in saved)
    saved[name]!.state.value = loggedOutState
})

describe('the cms-auth middleware', () => {
  it('sends a visitor who is not logged in to the login route, with ?redirect= back', async () => {
    expect(await run(route('/members?tab=2'))).toEqual({ path: '/login', query: { redirect: '/members?tab=2' } })
  })

  it('lets a member through', async () => {
    logins().member!.state.value = member
    expect(await run(route('/members'))).toBeUndefined()
  })

  it('leaves the login route alone, so a login page behind it does not loop', async () => {
    expect(await run(route('/login?redirect=/members'))).toBeUndefined()
  })

  it('checks the API the page meta names, with that API\'s login route', async () => {
    logins().member!.state.value = member
    expect(await run(route('/shop/orders', { cmsAuth: 'shop' }))).toEqual({ path: '/shop/login', query: { redirect: '/shop/orders' } })
    logins().shop!.state.value = member
    expect(await run(route('/shop/orders', { cmsAuth: 'shop' }))).toBeUndefined()
  })

  it('refuses a page meta API without a login, naming it', () => {
    // This project runs the browser build, without the hint a development build adds (core/features.ts configHints).
    expect(() => run(route('/x', { cmsAuth: 'news' }))).toThrow(/^\[nuxt-cms-auth\] the cms-auth middleware needs cmsAuth\.apis\.news with a login$/)
  })

  it('asks a login whose state is unknown first, then decides on the answer', async () => {
    const send = vi.fn(async () => member)
    useNuxtApp().payload.state['cms-auth:member'] = { ...loggedOutState, unknown: true }
    logins().member = createRemoteLogin(useNuxtApp(), 'member', '/login', send)
    expect(await run(route('/members'))).toBeUndefined()
    expect(send).toHaveBeenCalledWith('session')
  })

  it('redirects through the router: a page behind it ends on the login route', async () => {
    const router = useNuxtApp().$router
    await router.push('/members?tab=1')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query).toEqual({ redirect: '/members?tab=1' })
    logins().member!.state.value = member
    await router.push('/members')
    expect(router.currentRoute.value.fullPath).toBe('/members')
  })
})
