import { createRouter, defineEventHandler, getHeader, readBody, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import { dropConnection } from './kuroco-member'
import type { MemberAuth } from './member-auth'

function refuse(event: H3Event, status: number, name: string, message: string) {
  setResponseStatus(event, status)
  return { data: null, error: { status, name, message, details: {} } }
}

/** Strapi 5 users-permissions with refresh mode on: `{ jwt, refreshToken, user }`, rotating refresh. */
export function strapiRouter(state: MockCmsState, auth: MemberAuth) {
  const router = createRouter()
  const user = (member: { id: number, email: string, name: string }) => ({ id: member.id, username: member.name, email: member.email })

  router.post('/api/auth/local', defineEventHandler(async (event) => {
    count(state, 'strapi.login')
    const body = await readBody(event)
    const member = findMember(body?.identifier, body?.password)
    if (!member)
      return refuse(event, 400, 'ValidationError', 'Invalid identifier or password')
    const issued = auth.issue(member)
    return { jwt: issued.token, refreshToken: issued.refreshToken, user: user(member) }
  }))
  router.post('/api/auth/refresh', defineEventHandler(async (event) => {
    const result = await auth.useRefreshToken('strapi', (await readBody(event))?.refreshToken)
    if (result === 'network')
      return dropConnection(event)
    if (result === '500')
      return refuse(event, 500, 'InternalServerError', 'Internal Server Error')
    return result === 'reject' ? refuse(event, 401, 'UnauthorizedError', 'Invalid refresh token') : { jwt: result.token, refreshToken: result.refreshToken }
  }))
  router.post('/api/auth/logout', defineEventHandler(() => {
    count(state, 'strapi.logout')
    return { ok: true }
  }))
  const member = (event: H3Event) => {
    const result = auth.check(getHeader(event, 'authorization')?.replace(/^Bearer /, ''))
    return result.ok ? result.member : refuse(event, 401, 'UnauthorizedError', 'Missing or invalid credentials')
  }
  router.get('/api/users/me', defineEventHandler((event) => {
    const who = member(event)
    return 'id' in who ? user(who) : who
  }))
  router.get('/api/members', defineEventHandler((event) => {
    count(state, 'strapi.members')
    const who = member(event)
    return 'id' in who ? { data: [{ id: 1, title: `For ${who.name}` }], meta: {} } : who
  }))
  return router
}
