import { createRouter, defineEventHandler, getCookie, readBody, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { Member } from '../members'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'

/** The api_ids with cookie security that browsers call directly (CORS with credentials). */
export const directCookieApiIds = [6, 7]

/**
 * Kuroco's cookie security as a browser meets it when front and CMS share a site: a host-only
 * `kuroco_session` (no Domain, no Secure, SameSite=Lax), so on 127.0.0.1 it reaches the app's
 * port as well as the CMS's (cookies ignore ports). Every `GET /profile` rotates the session id
 * (the old one stops working) and sets a `kuroco_tracker` cookie, so tests see which of the CMS's
 * cookies travel. Sessions are shared by the api_ids it is mounted for, as Kuroco's are.
 */
export function kurocoCookieDirectRouter(state: MockCmsState) {
  const sessions = new Map<string, Member>()
  const router = createRouter()
  const session = (event: H3Event, id: string, maxAge = 3600) =>
    event.node.res.appendHeader('set-cookie', `kuroco_session=${id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`)
  const signedIn = (event: H3Event) => sessions.get(getCookie(event, 'kuroco_session') ?? '')
  const unauthorized = (event: H3Event) => {
    setResponseStatus(event, 401)
    return { errors: [{ code: 'unauthorized', message: 'Login required' }], messages: [] }
  }
  const open = (who: Member) => {
    const id = `direct-${crypto.randomUUID()}`
    sessions.set(id, who)
    return id
  }

  router.post('/login', defineEventHandler(async (event) => {
    count(state, 'kuroco-direct.login')
    const body = await readBody(event)
    const who = findMember(body?.email, body?.password)
    if (!who)
      return unauthorized(event)
    session(event, open(who))
    return { grant_token: '', status: 0, member_id: who.id, info: {}, messages: [], errors: [] }
  }))
  router.get('/profile', defineEventHandler((event) => {
    count(state, 'kuroco-direct.profile')
    const who = signedIn(event)
    if (!who)
      return unauthorized(event)
    sessions.delete(getCookie(event, 'kuroco_session')!)
    session(event, open(who))
    event.node.res.appendHeader('set-cookie', `kuroco_tracker=t${Date.now()}; Path=/; SameSite=Lax`)
    return { member_id: who.id, email: who.email, name: who.name }
  }))
  router.get('/content/members', defineEventHandler((event) => {
    count(state, 'kuroco-direct.members.content')
    const who = signedIn(event)
    return who ? { member_id: who.id, list: [{ topics_id: 30, subject: `Direct-cookie news for ${who.name}` }], errors: [], messages: [] } : unauthorized(event)
  }))
  router.post('/logout', defineEventHandler((event) => {
    count(state, 'kuroco-direct.logout')
    sessions.delete(getCookie(event, 'kuroco_session') ?? '')
    session(event, '', 0)
    return { messages: ['Logged out'], errors: [] }
  }))
  return { router, reset: () => sessions.clear() }
}
