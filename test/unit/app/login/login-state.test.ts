import { afterEach, describe, expect, it, vi } from 'vitest'
import { useNuxtApp } from '#imports'
import { flushHooks, recordHooks } from '../../../utils/runtime-hooks'
import { loggedOutState } from '../../../../src/runtime/core/auth-state'
import type { CmsAuthState } from '../../../../src/runtime/core/auth-state'
import { createLogin } from '../../../../src/runtime/app/login/login-state'
import type { LoginSend } from '../../../../src/runtime/app/login/login-state'

const member: CmsAuthState = { status: 'logged-in', user: { name: 'Ann' }, expiresAt: 1_900_000_000_000 }
const hookNames = ['cms-auth:login', 'cms-auth:logout', 'cms-auth:refresh', 'cms-auth:error']

// Each test its own API name: the state lives in the one app's payload under `cms-auth:<name>`.
let count = 0
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0))
    cleanup()
})

/** A login on the test's Nuxt app, with every `cms-auth:*` hook recorded as [name, context]. */
function setup(send: LoginSend, options: { adopt?: Parameters<typeof createLogin>[2]['adopt'], onRead?: () => void } = {}) {
  const nuxtApp = useNuxtApp()
  const name = `api${++count}`
  const { calls, stop } = recordHooks(nuxtApp, hookNames)
  cleanups.push(stop)
  const login = createLogin(nuxtApp, name, { loginRoute: '/login', ...options }, send)
  return { nuxtApp, name, login, calls, channel: `cms-auth:${name}` }
}

/** Another tab of this browser: a second BroadcastChannel on the same name. */
function otherTab(channel: string) {
  const tab = new BroadcastChannel(channel)
  const received: unknown[] = []
  tab.onmessage = ({ data }) => void received.push(data)
  cleanups.push(() => tab.close())
  return { tab, received }
}

describe('createLogin: the one login state machine', () => {
  it('starts logged out, in the payload state SSR hands the page', () => {
    const { nuxtApp, name, login } = setup(vi.fn())
    expect(login.state.value).toEqual(loggedOutState)
    expect(login.public.status.value).toBe('logged-out')
    expect(login.public.loggedIn.value).toBe(false)
    expect(nuxtApp.payload.state[`cms-auth:${name}`]).toEqual(loggedOutState)
  })

  it('turns an action into the state its kind answers, and calls the hook with the API name', async () => {
    const send = vi.fn<LoginSend>(async () => member)
    const { name, login, calls } = setup(send)
    await login.public.login({ email: 'a', password: 'b' })
    await flushHooks()
    expect(send).toHaveBeenCalledWith('login', { email: 'a', password: 'b' })
    expect(login.public.loggedIn.value).toBe(true)
    expect(login.public.user.value).toEqual({ name: 'Ann' })
    expect(login.public.expiresAt.value).toBe(member.expiresAt)
    expect(calls).toEqual([['cms-auth:login', { api: name }]])

    send.mockResolvedValueOnce(loggedOutState)
    await login.public.logout()
    await flushHooks()
    expect(send).toHaveBeenLastCalledWith('logout', undefined)
    expect(login.public.status.value).toBe('logged-out')
    expect(calls.at(-1)).toEqual(['cms-auth:logout', { api: name }])
  })

  it('leaves state, tabs and hooks to the kind when its action answers nothing (it told `changed` itself)', async () => {
    const { login, calls } = setup(async () => undefined)
    await login.public.refresh()
    await flushHooks()
    expect(login.state.value).toEqual(loggedOutState)
    expect(calls).toEqual([])
  })

  it('rethrows a failed action and reports it once, even when the kind reports the same error too', async () => {
    const failure = new Error('login at /login answered 401')
    const { name, login, calls } = setup(async () => {
      throw failure
    })
    await expect(login.public.login({ email: 'a' })).rejects.toBe(failure)
    login.failed(failure)
    await flushHooks()
    expect(calls).toEqual([['cms-auth:error', { api: name, error: failure }]])
    expect(login.state.value).toEqual(loggedOutState)

    const next = new Error('again')
    login.failed(next)
    await flushHooks()
    expect(calls).toHaveLength(2)
    expect(calls.at(-1)).toEqual(['cms-auth:error', { api: name, error: next }])
  })

  it('tells a change to the other tabs and the hook, with the reason when the CMS ended the session', async () => {
    const { name, login, calls, channel } = setup(vi.fn())
    const { received } = otherTab(channel)
    login.changed('login', member)
    login.changed('logout', loggedOutState, 'rejected')
    expect(login.state.value).toEqual(loggedOutState)
    await flushHooks()
    expect(calls).toEqual([['cms-auth:login', { api: name }], ['cms-auth:logout', { api: name, reason: 'rejected' }]])
    await vi.waitFor(() => expect(received).toEqual([{ type: 'login', state: member }, { type: 'logout', state: loggedOutState }]))
  })

  it('takes another tab\'s state as its own and calls the hook marked fromOtherTab', async () => {
    const { name, login, calls, channel } = setup(vi.fn())
    const { tab } = otherTab(channel)
    tab.postMessage({ type: 'login', state: member })
    await vi.waitFor(() => expect(login.state.value).toEqual(member))
    await flushHooks()
    expect(calls).toEqual([['cms-auth:login', { api: name, fromOtherTab: true }]])
  })

  it('lets the kind adopt another tab\'s change its own way instead', async () => {
    const adopt = vi.fn()
    const { login, channel } = setup(vi.fn(), { adopt })
    const { tab } = otherTab(channel)
    tab.postMessage({ type: 'refresh', state: member })
    await vi.waitFor(() => expect(adopt).toHaveBeenCalledWith({ type: 'refresh', state: member }))
    expect(login.state.value).toEqual(loggedOutState)
  })

  it('runs onRead whenever the page reads the state', () => {
    const onRead = vi.fn()
    const { login } = setup(vi.fn(), { onRead })
    expect(onRead).not.toHaveBeenCalled()
    void login.public.status.value
    expect(onRead).toHaveBeenCalledTimes(1)
  })

  it('sends a visitor on a page behind cms-auth to the login route when the CMS ends the session', async () => {
    const { nuxtApp, login } = setup(vi.fn())
    const router = nuxtApp.$router
    login.state.value = member
    await router.push('/login')
    // The real middleware of /members checks the fixture's `member` API: log it in for the visit.
    const { useCmsRegistry } = await import('../../../../src/runtime/app/registry')
    const memberLogin = useCmsRegistry(nuxtApp).logins.member!
    memberLogin.state.value = member
    await router.push('/members?tab=1')
    expect(router.currentRoute.value.fullPath).toBe('/members?tab=1')
    memberLogin.state.value = loggedOutState
    login.changed('logout', loggedOutState, 'rejected')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/login'))
    expect(router.currentRoute.value.query).toEqual({ redirect: '/members?tab=1' })
  })

  it('stays on a page without cms-auth when the session ends', async () => {
    const { nuxtApp, login } = setup(vi.fn())
    await nuxtApp.$router.push('/')
    login.changed('logout', loggedOutState, 'rejected')
    await flushHooks()
    expect(nuxtApp.$router.currentRoute.value.fullPath).toBe('/')
  })
})
