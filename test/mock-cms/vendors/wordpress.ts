import { randomBytes } from 'node:crypto'
import { createRouter, defineEventHandler, getCookie, getHeader, getQuery, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { Member } from '../members'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'

/** WordPress's REST error body (a WP_Error), as `rest_convert_error_to_response` writes it. */
function refuse(event: H3Event, status: number, code: string, message: string) {
  setResponseStatus(event, status)
  return { code, message, data: { status } }
}

const posts = [{ id: 1, title: { rendered: 'Hello from WordPress' }, status: 'publish' }]

// `wordpress_logged_in_` + md5(siteurl), as WordPress names its login cookie.
const LOGGED_IN = 'wordpress_logged_in_5c016e8f0f95f039102cbe8366c5c7f3'

/**
 * WordPress 6 REST API under `/wp-json/` (the base URL is the site root). Application Passwords
 * arrive as `Authorization: Basic base64(user:password)`; WordPress strips the spaces it shows the
 * password with, so either form works. Cookie logins: `wp-login.php` (a form post, answered with a
 * redirect that sets the login cookie), and the REST API counts that cookie only beside the
 * session's nonce (`X-WP-Nonce`, from `admin-ajax.php?action=rest-nonce`): without one the request
 * is a visitor's, with a wrong one 403 `rest_cookie_invalid_nonce`. Lists carry `X-WP-Total` and
 * `X-WP-TotalPages`.
 */
export function wordpressRouter(state: MockCmsState, keys: () => MockTokens) {
  const router = createRouter()
  // Login cookie value → the member and the session's REST nonce.
  const sessions = new Map<string, { member: Member, nonce: string }>()

  router.post('/wp-login.php', defineEventHandler(async (event) => {
    count(state, 'wordpress.login')
    const form = await readBody(event)
    const member = findMember(form?.log, form?.pwd)
    if (!member) {
      setResponseHeader(event, 'content-type', 'text/html; charset=UTF-8')
      return '<div id="login_error"><strong>Error:</strong> The password you entered for the email address is incorrect.</div>'
    }
    const value = `${member.id}|${Math.floor(Date.now() / 1000) + 172_800}|${randomBytes(8).toString('hex')}`
    sessions.set(value, { member, nonce: randomBytes(5).toString('hex') })
    setResponseStatus(event, 302)
    setResponseHeader(event, 'location', '/wp-admin/')
    setResponseHeader(event, 'set-cookie', [`${LOGGED_IN}=${value}; path=/; HttpOnly`, `wordpress_test_cookie=WP%20Cookie%20check; path=/`])
    return ''
  }))
  router.get('/wp-admin/admin-ajax.php', defineEventHandler((event) => {
    const session = sessions.get(getCookie(event, LOGGED_IN) ?? '')
    if (getQuery(event).action !== 'rest-nonce' || !session) {
      setResponseStatus(event, 400)
      return '0'
    }
    count(state, 'wordpress.nonce')
    return session.nonce
  }))

  /** The cookie's user when the nonce matches, `null` for a visitor, or WordPress's refusal. */
  function cookieUser(event: H3Event): { name: string } | null | object {
    const session = sessions.get(getCookie(event, LOGGED_IN) ?? '')
    const nonce = getHeader(event, 'x-wp-nonce')
    if (!session || nonce === undefined)
      return null
    if (nonce !== session.nonce)
      return refuse(event, 403, 'rest_cookie_invalid_nonce', 'Cookie check failed')
    setResponseHeader(event, 'x-wp-nonce', session.nonce)
    return { name: session.member.name }
  }

  /** The user an Application Password (or, without one, the cookie and nonce) authenticates, `null` for a visitor, or the error WordPress answers. */
  function userOf(event: H3Event): { name: string } | null | object {
    const basic = /^Basic (.+)$/.exec(getHeader(event, 'authorization') ?? '')
    if (!basic)
      return cookieUser(event)
    count(state, 'wordpress.basic')
    const [user, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')
    const [expectedUser, expectedPassword] = keys().wordpress.split(':')
    if (user !== expectedUser)
      return refuse(event, 401, 'invalid_username', 'Unknown username. Check again or try your email address.')
    if (rest.join(':').replace(/\s/g, '') !== expectedPassword!.replace(/\s/g, ''))
      return refuse(event, 401, 'incorrect_password', 'The provided password is an invalid application password.')
    return { name: user }
  }
  const isUser = (who: unknown): who is { name: string } => typeof who === 'object' && who !== null && 'name' in who

  router.get('/wp-json/wp/v2/posts', defineEventHandler((event) => {
    count(state, 'wordpress.posts')
    const who = userOf(event)
    if (who && !isUser(who))
      return who
    setResponseHeader(event, 'x-wp-total', posts.length)
    setResponseHeader(event, 'x-wp-totalpages', 1)
    return isUser(who) ? [...posts, { id: 2, title: { rendered: `For ${who.name}: a draft only they see` }, status: 'draft' }] : posts
  }))
  router.post('/wp-json/wp/v2/posts', defineEventHandler(async (event) => {
    const who = userOf(event)
    if (!who)
      return refuse(event, 401, 'rest_cannot_create', 'Sorry, you are not allowed to create posts as this user.')
    if (!isUser(who))
      return who
    const body = await readBody(event)
    setResponseStatus(event, 201)
    return { id: 3, title: { rendered: String(body?.title ?? '') }, status: body?.status ?? 'draft', author: who.name }
  }))
  router.get('/wp-json/wp/v2/users/me', defineEventHandler((event) => {
    const who = userOf(event)
    if (!who)
      return refuse(event, 401, 'rest_not_logged_in', 'You are not currently logged in.')
    return isUser(who) ? { id: 7, name: who.name, slug: who.name.toLowerCase().replace(/\W+/g, '-') } : who
  }))
  return router
}
