import { createRouter, defineEventHandler, getHeader, getQuery, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { Member } from '../members'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'
import { dropConnection } from './kuroco-member'
import type { MemberAuth } from './member-auth'

/** Supabase Auth's error body (its HTTPError: `code` is the status, `msg` the message). */
function authError(event: H3Event, status: number, errorCode: string, msg: string) {
  setResponseStatus(event, status)
  return { code: status, error_code: errorCode, msg }
}

/**
 * Supabase: the API gateway wants the project's key in `apikey` on every request (Auth and the
 * Data API alike: `supabaseGateway`) and refuses a secret key from a browser; the user's JWT rides as
 * `Authorization: Bearer`. Auth (`/auth/v1`): password grant, rotating refresh tokens (a reused
 * one is refused), `/user`, `/logout`. The Data API (`/rest/v1`, PostgREST): `members` under Row
 * Level Security (a user sees its rows, the anon role none, the secret key all), `posts` public.
 */
export function supabaseRouter(state: MockCmsState, auth: MemberAuth) {
  const router = createRouter()
  const user = (member: Member) => ({ id: `00000000-0000-0000-0000-00000000${String(member.id).padStart(4, '0')}`, aud: 'authenticated', role: 'authenticated', email: member.email, phone: '', email_confirmed_at: '2026-11-01T00:00:00Z', app_metadata: { provider: 'email' }, user_metadata: { name: member.name }, identities: [], created_at: '2026-11-01T00:00:00Z' })
  const session = (issued: ReturnType<MemberAuth['issue']>, member: Member) => ({ access_token: issued.token, token_type: 'bearer', expires_in: Math.round((issued.expiresAt - Date.now()) / 1000), expires_at: Math.floor(issued.expiresAt / 1000), refresh_token: issued.refreshToken, user: user(member) })

  router.post('/auth/v1/token', defineEventHandler(async (event) => {
    const grant = getQuery(event).grant_type
    const body = await readBody(event)
    if (grant === 'password') {
      count(state, 'supabase.login')
      const member = findMember(body?.email, body?.password)
      return member ? session(auth.issue(member), member) : authError(event, 400, 'invalid_credentials', 'Invalid login credentials')
    }
    if (grant !== 'refresh_token')
      return authError(event, 400, 'validation_failed', 'unsupported_grant_type')
    const result = await auth.useRefreshToken('supabase', body?.refresh_token)
    if (result === 'network')
      return dropConnection(event)
    if (result === '500')
      return authError(event, 500, 'unexpected_failure', 'Internal Server Error')
    if (result === '429') {
      setResponseHeader(event, 'retry-after', 30)
      return authError(event, 429, 'over_request_rate_limit', 'Request rate limit reached')
    }
    if (result === 'reject')
      return authError(event, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used')
    const member = auth.check(result.token)
    return session(result, member.ok ? member.member : auth.members[0]!)
  }))

  const bearer = (event: H3Event) => getHeader(event, 'authorization')?.replace(/^Bearer /, '')
  router.get('/auth/v1/user', defineEventHandler((event) => {
    const result = auth.check(bearer(event))
    if (result.ok)
      return user(result.member)
    return result.why === 'expired'
      ? authError(event, 403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired')
      : authError(event, 401, 'no_authorization', 'This endpoint requires a valid Bearer token')
  }))
  router.post('/auth/v1/logout', defineEventHandler((event) => {
    count(state, 'supabase.logout')
    const token = bearer(event)
    const result = auth.check(token)
    if (!result.ok) {
      count(state, 'supabase.logout.rejected')
      return authError(event, 403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired')
    }
    auth.revoke(result.member, token)
    setResponseStatus(event, 204)
    return null
  }))

  router.get('/rest/v1/members', defineEventHandler((event) => {
    count(state, 'supabase.members')
    const token = bearer(event)
    if (event.context.supabaseKey === 'secret' && !token)
      return auth.members.map(member => ({ id: member.id, title: `For ${member.name}` }))
    if (!token)
      return []
    const result = auth.check(token)
    if (!result.ok) {
      setResponseStatus(event, 401)
      setResponseHeader(event, 'www-authenticate', 'Bearer error="invalid_token", error_description="JWT expired"')
      return { code: 'PGRST303', details: null, hint: null, message: 'JWT expired' }
    }
    return [{ id: result.member.id, title: `For ${result.member.name}` }]
  }))
  router.get('/rest/v1/posts', defineEventHandler(() => [{ id: 1, title: 'A public Supabase row' }]))
  return router
}

/**
 * The API gateway in front of every Supabase route (mounted before the router): which key is
 * this, and may it be used here? Sets `event.context.supabaseKey` for the routes.
 */
export function supabaseGateway(state: MockCmsState, keys: () => MockTokens) {
  return defineEventHandler((event) => {
    const key = getHeader(event, 'apikey') ?? getQuery(event).apikey
    if (!key) {
      setResponseStatus(event, 401)
      return { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' }
    }
    if (key !== keys().supabase && key !== keys().supabaseSecret) {
      setResponseStatus(event, 401)
      return { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' }
    }
    // Supabase matches browsers by User-Agent and refuses them a secret key (message unconfirmed).
    if (key === keys().supabaseSecret && /Mozilla\//.test(getHeader(event, 'user-agent') ?? '')) {
      count(state, 'supabase.secretFromBrowser')
      setResponseStatus(event, 401)
      return { message: 'Forbidden use of secret API key in browser' }
    }
    event.context.supabaseKey = key === keys().supabaseSecret ? 'secret' : 'publishable'
  })
}
