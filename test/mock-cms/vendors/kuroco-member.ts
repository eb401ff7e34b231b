import { createRouter, defineEventHandler, getHeader, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MemberAuth } from './member-auth'

const seconds = (ms: number) => Math.floor(ms / 1000)

/** A refused request in the shape Kuroco uses for API errors. */
function refuse(event: H3Event, status: number, message: string) {
  setResponseStatus(event, status)
  return { errors: [{ code: status === 401 ? 'unauthorized' : 'forbidden', message }], messages: [] }
}

/** Drops the connection without an answer: what a network failure looks like to the client. */
export function dropConnection(event: H3Event): null {
  event.node.res.destroy()
  return null
}

/**
 * Kuroco api_id 3, "dynamic access token" security: login (login_challenge) → grant_token →
 * token → access + refresh tokens (`expiresAt` in epoch seconds), refresh through the same token
 * endpoint, `{}` for an anonymous token, profile, logout, and a members-only content list.
 */
export function kurocoMemberRouter(state: MockCmsState, auth: MemberAuth) {
  const router = createRouter()
  const grants = new Map<string, number>()

  router.post('/login', defineEventHandler(async (event) => {
    count(state, 'kuroco.login')
    const body = await readBody(event)
    const member = findMember(body?.email, body?.password)
    if (!member)
      return refuse(event, 401, 'Login failed: check the email and password')
    const grant = `grant-${crypto.randomUUID()}`
    grants.set(grant, member.id)
    return { grant_token: grant, status: 0, member_id: member.id, info: {}, messages: [], errors: [] }
  }))

  router.post('/token', defineEventHandler(async (event) => {
    const body = (await readBody(event)) ?? {}
    const pair = (issued: ReturnType<MemberAuth['issue']>) => ({
      access_token: { value: issued.token, expiresAt: seconds(issued.expiresAt) },
      ...(issued.refreshToken ? { refresh_token: { value: issued.refreshToken, expiresAt: seconds(issued.refreshExpiresAt) } } : {}),
    })
    if (body.grant_token) {
      const memberId = grants.get(body.grant_token)
      grants.delete(body.grant_token)
      const member = auth.members.find(m => m.id === memberId)
      return member ? pair(auth.issue(member)) : refuse(event, 401, 'grant_token is invalid')
    }
    if (body.refresh_token) {
      const result = await auth.useRefreshToken('kuroco', body.refresh_token)
      if (result === 'network')
        return dropConnection(event)
      if (result === '500')
        return refuse(event, 500, 'Internal Server Error')
      if (result === '429') {
        setResponseHeader(event, 'retry-after', 30)
        return refuse(event, 429, 'Too Many Requests')
      }
      return result === 'reject' ? refuse(event, 401, 'refresh_token is invalid') : pair(result)
    }
    count(state, 'kuroco.anonymous')
    return pair(auth.issue({ id: 0, email: '', password: '', name: 'Guest' }, { withRefresh: false }))
  }))

  const member = (event: H3Event) => {
    const result = auth.check(getHeader(event, 'x-rcms-api-access-token'))
    if (result.ok)
      return result.member
    setResponseStatus(event, 401)
    return { errors: [result.why === 'missing' ? '[GW] Access Token is required' : '[GW] Access Token is invalid'] }
  }

  router.get('/profile', defineEventHandler((event) => {
    count(state, 'kuroco.profile')
    const who = member(event)
    return 'id' in who ? { member_id: who.id, email: who.email, name: who.name } : who
  }))
  router.get('/content/members', defineEventHandler((event) => {
    count(state, 'kuroco.members.content')
    const who = member(event)
    return 'id' in who
      ? { member_id: who.id, name: who.name, list: [{ topics_id: 10, subject: `Members-only news for ${who.name}` }], errors: [], messages: [] }
      : who
  }))
  // A members-only write: answers what it received, so a replayed body can be checked.
  router.post('/content/members', defineEventHandler(async (event) => {
    const who = member(event)
    return 'id' in who ? { member_id: who.id, name: who.name, received: await readBody(event) } : who
  }))
  router.post('/logout', defineEventHandler((event) => {
    count(state, 'kuroco.logout')
    const token = getHeader(event, 'x-rcms-api-access-token')
    const who = member(event)
    if (!('id' in who)) {
      count(state, 'kuroco.logout.rejected')
      return who
    }
    auth.revoke(who, token)
    return { messages: ['Logged out'], errors: [] }
  }))
  return router
}
