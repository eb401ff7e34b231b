import { createRouter, defineEventHandler, getHeader, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MemberAuth } from './member-auth'

function refuse(event: H3Event, code: string, message: string) {
  setResponseStatus(event, 401)
  return { errors: [{ message, code }] }
}

/**
 * NocoBase: `auth:signIn` answers a JWT and the user; no refresh token. A request with an
 * expired token inside the renewal window succeeds and carries `x-new-token` (counted as a
 * refresh); after that window, 401 EXPIRED_SESSION.
 */
export function nocobaseRouter(state: MockCmsState, auth: MemberAuth) {
  const router = createRouter()
  const user = (member: { id: number, email: string, name: string }) => ({ id: member.id, email: member.email, nickname: member.name })

  router.post('/api/auth:signIn', defineEventHandler(async (event) => {
    count(state, 'nocobase.login')
    const body = await readBody(event)
    const member = findMember(body?.account, body?.password)
    if (!member)
      return refuse(event, 'INVALID_CREDENTIALS', 'The username or password is incorrect, please re-enter')
    return { data: { user: user(member), token: auth.issue(member, { withRefresh: false }).token } }
  }))

  const member = (event: H3Event) => {
    const token = getHeader(event, 'authorization')?.replace(/^Bearer /, '')
    const result = auth.check(token)
    if (result.ok)
      return result.member
    if (result.why === 'expired' && result.expiredFor! <= auth.knobs.renewWindow * 1000) {
      count(state, 'nocobase.refresh')
      setResponseHeader(event, 'x-new-token', auth.issue(result.member!, { withRefresh: false }).token)
      setResponseHeader(event, 'access-control-expose-headers', 'x-new-token')
      return result.member!
    }
    return result.why === 'missing'
      ? refuse(event, 'EMPTY_TOKEN', 'Unauthenticated. Please sign in to continue.')
      : refuse(event, result.why === 'expired' ? 'EXPIRED_SESSION' : 'INVALID_TOKEN', 'Your session has expired. Please sign in again.')
  }
  router.get('/api/auth:check', defineEventHandler((event) => {
    const who = member(event)
    return 'id' in who ? { data: user(who) } : who
  }))
  router.post('/api/auth:signOut', defineEventHandler((event) => {
    count(state, 'nocobase.logout')
    const who = member(event)
    if ('id' in who)
      auth.revoke(who, getHeader(event, 'authorization')?.replace(/^Bearer /, ''))
    return { data: null }
  }))
  router.get('/api/members:list', defineEventHandler((event) => {
    count(state, 'nocobase.members')
    const who = member(event)
    return 'id' in who ? { data: [{ id: 1, title: `For ${who.name}` }], meta: { count: 1 } } : who
  }))
  return router
}
