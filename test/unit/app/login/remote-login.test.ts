import { afterEach, describe, expect, it, vi } from 'vitest'
import { useNuxtApp } from '#imports'
import { flushHooks, recordHooks } from '../../../utils/runtime-hooks'
import { loggedOutState } from '../../../../src/runtime/core/auth-state'
import type { CmsAuthState } from '../../../../src/runtime/core/auth-state'
import { createRemoteLogin } from '../../../../src/runtime/app/login/remote-login'

const member: CmsAuthState = { status: 'logged-in', user: { name: 'Ann' }, expiresAt: null }
const unknown: CmsAuthState = { ...loggedOutState, unknown: true }

let count = 0
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0))
    cleanup()
})

type Send = Parameters<typeof createRemoteLogin>[3]

function setup(send: Send, initial?: CmsAuthState) {
  const nuxtApp = useNuxtApp()
  const name = `remote${++count}`
  if (initial)
    nuxtApp.payload.state[`cms-auth:${name}`] = initial
  const { calls: hooks, stop } = recordHooks(nuxtApp, ['cms-auth:logout', 'cms-auth:error'])
  cleanups.push(stop)
  return { name, hooks, login: createRemoteLogin(nuxtApp, name, '/login', send) }
}

describe('createRemoteLogin: a login whose holder is asked', () => {
  it('asks who is logged in once, however often an unknown state is read', async () => {
    const send = vi.fn<Send>(async () => member)
    const { login } = setup(send, unknown)
    expect(login.public.status.value).toBe('logged-out')
    void login.public.loggedIn.value
    void login.public.user.value
    await vi.waitFor(() => expect(login.public.loggedIn.value).toBe(true))
    expect(send).toHaveBeenCalledTimes(1)
    expect(send).toHaveBeenCalledWith('session')
    expect(login.public.user.value).toEqual({ name: 'Ann' })
  })

  it('asks nothing when the state is known (SSR asked already)', async () => {
    const send = vi.fn<Send>(async () => member)
    const { login } = setup(send, loggedOutState)
    void login.public.status.value
    await login.ready()
    expect(send).not.toHaveBeenCalled()
  })

  it('shares one question between everyone waiting for the state', async () => {
    let answer!: (state: CmsAuthState) => void
    const send = vi.fn<Send>(() => new Promise(resolve => answer = resolve))
    const { login } = setup(send, unknown)
    const waiting = Promise.all([login.ready(), login.ready()])
    answer(member)
    await waiting
    expect(send).toHaveBeenCalledTimes(1)
    expect(login.state.value).toEqual(member)
  })

  it('counts a failed question as logged out and reports it once', async () => {
    const failure = new Error('session route answered 502')
    const { name, login, hooks } = setup(async () => {
      throw failure
    }, unknown)
    await login.load()
    await flushHooks()
    expect(login.state.value).toEqual(loggedOutState)
    expect(hooks).toEqual([['cms-auth:error', { api: name, error: failure }]])
  })

  it('turns the holder\'s word that the session ended into a logout the CMS asked for, only when logged in', async () => {
    const { name, login, hooks } = setup(vi.fn(), member)
    login.ended()
    login.ended()
    await flushHooks()
    expect(login.state.value).toEqual(loggedOutState)
    expect(hooks).toEqual([['cms-auth:logout', { api: name, reason: 'rejected' }]])
  })
})
