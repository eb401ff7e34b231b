import { createRouter, defineEventHandler, getHeader, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'

/** WordPress's REST error body (a WP_Error), as `rest_convert_error_to_response` writes it. */
function refuse(event: H3Event, status: number, code: string, message: string) {
  setResponseStatus(event, status)
  return { code, message, data: { status } }
}

const posts = [{ id: 1, title: { rendered: 'Hello from WordPress' }, status: 'publish' }]

/**
 * WordPress 6 REST API under `/wp-json/` (the base URL is the site root). Application Passwords
 * arrive as `Authorization: Basic base64(user:password)`; WordPress strips the spaces it shows the
 * password with, so either form works. Lists carry `X-WP-Total` and `X-WP-TotalPages`.
 */
export function wordpressRouter(state: MockCmsState, keys: () => MockTokens) {
  const router = createRouter()

  /** The user an Application Password authenticates, `null` for none sent, or the error WordPress answers. */
  function userOf(event: H3Event): { name: string } | null | object {
    const basic = /^Basic (.+)$/.exec(getHeader(event, 'authorization') ?? '')
    if (!basic)
      return null
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
    return isUser(who) ? [...posts, { id: 2, title: { rendered: `Draft only ${who.name} sees` }, status: 'draft' }] : posts
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
    return isUser(who) ? { id: 7, name: 'Editor', slug: who.name } : who
  }))
  return router
}
