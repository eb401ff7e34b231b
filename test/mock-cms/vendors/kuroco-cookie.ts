import { createRouter, defineEventHandler, getCookie, getHeader, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { Member } from '../members'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MemberAuth } from './member-auth'

const COOKIE = 'kuroco_session'

/**
 * Kuroco's cookie security: `POST /login` sets the session cookie (with a Domain attribute, as on
 * a real site), members-only endpoints need it, `POST /logout` clears it. Sessions are shared by
 * every api_id the router is mounted for (Kuroco's rule for cookie sessions). The `loginLimit` knob
 * limits logins per address: a 429 that says when the limit resets (`X-RateLimit-Reset`, seconds
 * left) and sends no Retry-After, the form a rate limiter in front of a CMS often has.
 */
export function kurocoCookieRouter(state: MockCmsState, auth: MemberAuth) {
  const sessions = new Map<string, Member>()
  const router = createRouter()
  const cookieAttributes = 'Domain=cms.example; Path=/; HttpOnly; Secure; SameSite=None'

  const member = (event: H3Event): Member | undefined => {
    const id = getCookie(event, COOKIE)
    return id ? sessions.get(id) : undefined
  }
  const refuse = (event: H3Event) => {
    setResponseStatus(event, 401)
    return { errors: [{ code: 'unauthorized', message: 'Login required' }], messages: [] }
  }

  router.post('/login', defineEventHandler(async (event) => {
    count(state, 'kuroco-cookie.login')
    if (!auth.loginAllowed(`kuroco-cookie:${getHeader(event, 'x-forwarded-for') ?? 'this-server'}`)) {
      setResponseStatus(event, 429)
      setResponseHeader(event, 'x-ratelimit-reset', 37)
      return { errors: [{ code: 'too_many_requests', message: 'Too Many Requests' }], messages: [] }
    }
    const body = await readBody(event)
    const found = findMember(body?.email, body?.password)
    if (!found)
      return refuse(event)
    const id = `sess-${crypto.randomUUID()}`
    sessions.set(id, found)
    event.node.res.setHeader('set-cookie', `${COOKIE}=${id}; ${cookieAttributes}`)
    return { grant_token: '', status: 0, member_id: found.id, info: {}, messages: [], errors: [] }
  }))
  router.get('/profile', defineEventHandler((event) => {
    count(state, 'kuroco-cookie.profile')
    const who = member(event)
    return who ? { member_id: who.id, email: who.email, name: who.name } : refuse(event)
  }))
  router.get('/content/members', defineEventHandler((event) => {
    count(state, 'kuroco-cookie.members.content')
    const who = member(event)
    return who ? { member_id: who.id, name: who.name, list: [{ topics_id: 20, subject: `Cookie-session news for ${who.name}` }], errors: [], messages: [] } : refuse(event)
  }))
  // A CMS that renews the session id as it is used: the old id stops working at once, so a
  // renewal dropped anywhere between the CMS and the browser logs the member out.
  router.get('/content/renewing', defineEventHandler((event) => {
    count(state, 'kuroco-cookie.renewing')
    const who = member(event)
    if (!who)
      return refuse(event)
    sessions.delete(getCookie(event, COOKIE)!)
    const id = `sess-${crypto.randomUUID()}`
    sessions.set(id, who)
    event.node.res.setHeader('set-cookie', `${COOKIE}=${id}; ${cookieAttributes}`)
    return { member_id: who.id, name: who.name, list: [{ topics_id: 21, subject: `Renewed-session news for ${who.name}` }], errors: [], messages: [] }
  }))
  router.post('/content/members', defineEventHandler(async (event) => {
    const who = member(event)
    return who ? { member_id: who.id, name: who.name, received: await readBody(event) } : refuse(event)
  }))
  router.post('/logout', defineEventHandler((event) => {
    count(state, 'kuroco-cookie.logout')
    const id = getCookie(event, COOKIE)
    if (id)
      sessions.delete(id)
    event.node.res.setHeader('set-cookie', `${COOKIE}=; Max-Age=0; ${cookieAttributes}`)
    return { messages: ['Logged out'], errors: [] }
  }))
  return { router, reset: () => sessions.clear() }
}
