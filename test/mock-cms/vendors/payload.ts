import { createRouter, defineEventHandler, getCookie, getHeader, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { Member } from '../members'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'
import { dropConnection } from './kuroco-member'
import type { MemberAuth } from './member-auth'

// Payload's error bodies (formatErrors of an APIError), as its REST API answers them.
const FORBIDDEN = 'You are not allowed to perform this action.'
const BAD_LOGIN = 'The email or password provided is incorrect.'

function refuse(event: H3Event, status: number, message: string) {
  setResponseStatus(event, status)
  return { errors: [{ message }] }
}

/** An API-key user: who a collection's `<slug> API-Key <key>` authenticates as. */
const apiKeyUser = { id: 900, email: 'api@example.com', name: 'API User', password: '' } satisfies Member

/**
 * Payload CMS 3 REST auth for the `users` collection, plus an `admins` collection for API keys:
 * `JWT <token>` (or `Bearer`), `<slug> API-Key <key>`, and the `payload-token` cookie, which
 * counts only as Payload's CSRF check allows (`csrf` knob: the allowed origins; a cookie request
 * without `Origin` needs `Sec-Fetch-Site` same-origin/same-site/none once the list is set).
 * `refresh-token` renews the JWT it is sent while that one is valid; an expired or revoked one
 * is answered 403, as Payload does for a request without a user.
 */
export function payloadRouter(state: MockCmsState, auth: MemberAuth, keys: () => MockTokens) {
  const router = createRouter()
  const csrf = () => auth.knobs.payloadCsrf
  const user = (member: Member, collection = 'users') => ({ id: member.id, email: member.email, name: member.name, collection, enableAPIKey: false, loginAttempts: 0, resetPasswordToken: null, createdAt: '2026-11-01T00:00:00.000Z' })

  /** Payload's extractJWT: the `JWT` and `Bearer` schemes, then the cookie if CSRF allows it. */
  function bearerOf(event: H3Event): string | undefined {
    const header = getHeader(event, 'authorization') ?? ''
    const scheme = /^(?:JWT|Bearer) (.+)$/.exec(header)
    if (scheme)
      return scheme[1]
    const cookie = getCookie(event, 'payload-token')
    if (!cookie)
      return undefined
    const origin = getHeader(event, 'origin')
    if (origin)
      return !csrf().length || csrf().includes(origin) ? cookie : undefined
    return !csrf().length || ['same-origin', 'same-site', 'none'].includes(getHeader(event, 'sec-fetch-site') ?? '') ? cookie : undefined
  }

  /** The request's user: an API key of the collection, or a valid JWT; `undefined` is no user (Payload's 403). */
  function userOf(event: H3Event, collection = 'users'): Member | undefined {
    const apiKey = /^(\w+) API-Key (.+)$/.exec(getHeader(event, 'authorization') ?? '')
    if (apiKey) {
      const expected = apiKey[1] === 'admins' ? keys().payloadAdmins : apiKey[1] === 'users' ? keys().payload : undefined
      return apiKey[1] === collection && apiKey[2] === expected ? apiKeyUser : undefined
    }
    const token = bearerOf(event)
    if (token)
      count(state, 'payload.jwt')
    const result = auth.check(token)
    return result.ok && collection === 'users' ? result.member : undefined
  }

  const answerToken = (event: H3Event, issued: ReturnType<MemberAuth['issue']>) => {
    setResponseHeader(event, 'set-cookie', `payload-token=${issued.token}; Path=/; Expires=${new Date(issued.expiresAt).toUTCString()}; HttpOnly; SameSite=Lax`)
    return { token: issued.token, exp: Math.floor(issued.expiresAt / 1000) }
  }

  router.post('/api/users/login', defineEventHandler(async (event) => {
    count(state, 'payload.login')
    const body = await readBody(event)
    if (typeof body?.email !== 'string' || !body.email) {
      setResponseStatus(event, 400)
      return { errors: [{ name: 'ValidationError', message: 'The following field is invalid: email', data: { collection: 'users', errors: [{ message: 'This field is required.', path: 'email' }] } }] }
    }
    const member = findMember(body.email, body.password)
    if (!member)
      return refuse(event, 401, BAD_LOGIN)
    const { token, exp } = answerToken(event, auth.issue(member, { withRefresh: false }))
    return { message: 'Authentication Passed', user: user(member), token, exp }
  }))
  router.post('/api/users/refresh-token', defineEventHandler(async (event) => {
    const result = await auth.renewAccess('payload', bearerOf(event))
    if (result === 'network')
      return dropConnection(event)
    if (result === '500')
      return refuse(event, 500, 'Something went wrong.')
    if (result === '429') {
      setResponseHeader(event, 'retry-after', 30)
      return refuse(event, 429, 'You have made too many requests. Please try again later.')
    }
    if (result === 'reject')
      return refuse(event, 403, FORBIDDEN)
    const member = auth.check(result.token)
    const { token, exp } = answerToken(event, result)
    return { message: 'Token refresh successful', refreshedToken: token, exp, user: member.ok ? user(member.member) : null }
  }))
  router.post('/api/users/logout', defineEventHandler((event) => {
    count(state, 'payload.logout')
    const token = bearerOf(event)
    const result = auth.check(token)
    if (!result.ok) {
      count(state, 'payload.logout.rejected')
      return refuse(event, 400, 'No User')
    }
    auth.revoke(result.member, token)
    setResponseHeader(event, 'set-cookie', 'payload-token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax')
    return { message: 'You have been logged out successfully.' }
  }))
  // 200 `{ user: null }` without a user, as Payload answers it.
  router.get('/api/users/me', defineEventHandler((event) => {
    const token = bearerOf(event)
    const member = userOf(event)
    return member ? { user: user(member), collection: 'users', exp: 0, token } : { user: null }
  }))
  router.get('/api/members', defineEventHandler((event) => {
    count(state, 'payload.members')
    const member = userOf(event)
    return member ? { docs: [{ id: 1, title: `For ${member.name}` }], totalDocs: 1, limit: 10, page: 1 } : refuse(event, 403, FORBIDDEN)
  }))
  router.get('/api/audit-log', defineEventHandler((event) => {
    const member = userOf(event, 'admins')
    return member ? { docs: [{ id: 1, event: `Read by ${member.name} of admins` }], totalDocs: 1 } : refuse(event, 403, FORBIDDEN)
  }))
  return router
}
