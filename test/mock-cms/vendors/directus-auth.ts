import { createRouter, defineEventHandler, getHeader, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import { dropConnection } from './kuroco-member'
import type { MemberAuth } from './member-auth'

function refuse(event: H3Event, status: number, message: string, code: string) {
  setResponseStatus(event, status)
  return { errors: [{ message, extensions: { code } }] }
}

/** Directus 12 `json` mode: login, rotating refresh (reuse → 401), logout, `/users/me`, an items list. */
export function directusAuthRouter(state: MockCmsState, auth: MemberAuth) {
  const router = createRouter()
  const answer = (issued: ReturnType<MemberAuth['issue']>) => ({ data: { expires: issued.expiresAt - Date.now(), refresh_token: issued.refreshToken, access_token: issued.token } })

  router.post('/auth/login', defineEventHandler(async (event) => {
    count(state, 'directus.login')
    const body = await readBody(event)
    const member = findMember(body?.email, body?.password)
    return member ? answer(auth.issue(member)) : refuse(event, 401, 'Invalid user credentials.', 'INVALID_CREDENTIALS')
  }))
  router.post('/auth/refresh', defineEventHandler(async (event) => {
    const result = await auth.useRefreshToken('directus', (await readBody(event))?.refresh_token)
    if (result === 'network')
      return dropConnection(event)
    if (result === '500')
      return refuse(event, 503, 'Service Unavailable', 'SERVICE_UNAVAILABLE')
    // Directus's RATE_LIMITER counts every request of an address, the server's own included.
    if (result === '429') {
      setResponseHeader(event, 'retry-after', 30)
      return refuse(event, 429, 'Too many requests, retry after 30s.', 'REQUESTS_EXCEEDED')
    }
    return result === 'reject' ? refuse(event, 401, 'Invalid user credentials.', 'INVALID_CREDENTIALS') : answer(result)
  }))
  // As Directus's authenticate step does on every route: an expired bearer is refused before logout runs.
  router.post('/auth/logout', defineEventHandler(async (event) => {
    count(state, 'directus.logout')
    const bearer = auth.check(getHeader(event, 'authorization')?.replace(/^Bearer /, ''))
    if (!bearer.ok && bearer.why === 'expired') {
      count(state, 'directus.logout.rejected')
      return refuse(event, 401, 'Token expired.', 'TOKEN_EXPIRED')
    }
    const refreshToken = (await readBody(event))?.refresh_token
    const owner = auth.refreshOwner(refreshToken)
    if (owner)
      auth.revoke(owner.member, refreshToken)
    setResponseStatus(event, 204)
    return null
  }))

  const member = (event: H3Event) => {
    const result = auth.check(getHeader(event, 'authorization')?.replace(/^Bearer /, ''))
    if (result.ok)
      return result.member
    return result.why === 'expired'
      ? refuse(event, 401, 'Token expired.', 'TOKEN_EXPIRED')
      : refuse(event, 401, 'Invalid user credentials.', 'INVALID_CREDENTIALS')
  }
  router.get('/users/me', defineEventHandler((event) => {
    const who = member(event)
    // As Directus answers it: a masked password, a TFA secret and the static token among the fields.
    return 'id' in who ? { data: { id: who.id, email: who.email, first_name: who.name, last_name: null, password: '**********', tfa_secret: null, token: null, auth_data: null, role: 'member-role' } } : who
  }))
  router.get('/items/members', defineEventHandler((event) => {
    count(state, 'directus.members')
    const who = member(event)
    return 'id' in who ? { data: [{ id: 1, title: `For ${who.name}` }] } : who
  }))
  return router
}
