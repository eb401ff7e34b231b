import { describe, expect, it } from 'vitest'
import { loginRedirect } from '../../../../src/runtime/app/login/login-route'

describe('loginRedirect', () => {
  it('sends a visitor to the login route with the way back, query included', () => {
    expect(loginRedirect({ path: '/members', fullPath: '/members?tab=2#top' }, '/login')).toEqual({ path: '/login', query: { redirect: '/members?tab=2#top' } })
  })

  it('sends nobody anywhere from the login route itself (no redirect loop)', () => {
    expect(loginRedirect({ path: '/login', fullPath: '/login?redirect=/members' }, '/login')).toBeUndefined()
  })
})
