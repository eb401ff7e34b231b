import { createRouter, defineEventHandler, getCookie, getHeader, readBody, setResponseHeader, setResponseStatus } from 'h3'
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

const REFRESH_COOKIE = 'strapi_up_refresh'

/** API tokens the mock's content routes accept: a read-only one for visitors, one for previews. */
export const strapiTokens = { readOnly: 'demo-strapi-read-only-api-token', preview: 'demo-strapi-preview-api-token' }

/**
 * A Draft & Publish collection as Strapi 5 stores it: a published document has a published and a
 * draft version (same `documentId`, its own `id`, `publishedAt: null`); a never-published one only
 * the draft.
 */
export const strapiArticles = {
  published: { id: 2, documentId: 'strapi-published-doc', title: 'Strapi published article', publishedAt: '2026-11-01T00:00:00.000Z' },
  draftOfPublished: { id: 1, documentId: 'strapi-published-doc', title: 'Strapi published article', publishedAt: null },
  draft: { id: 3, documentId: 'strapi-draft-doc', title: 'Strapi draft article (unpublished)', publishedAt: null },
}

/**
 * Strapi 5.54's `status` as its koa `qs` reads it: published only when it is absent or exactly the
 * one string `published`; any other value or form (`draft`, `Draft`, empty, `status[]=`, twice)
 * gives the draft versions, to any reader (seen live; strapi/strapi#21388, #25326).
 */
function wantsDrafts(event: H3Event): boolean {
  const values = [...new URLSearchParams(event.path.split('?')[1] ?? '')].filter(([name]) => name.replace(/\[.*$/s, '') === 'status')
  return values.length > 0 && !(values.length === 1 && values[0]![0] === 'status' && values[0]![1] === 'published')
}

/**
 * Strapi 5.54's rate limit (koa2-ratelimit behind a RateLimitError): the X-RateLimit headers, the
 * reset time in epoch seconds, and no Retry-After (seen live).
 */
function rateLimited(event: H3Event, resetInSeconds: number) {
  setResponseHeader(event, 'x-ratelimit-limit', 10)
  setResponseHeader(event, 'x-ratelimit-remaining', 0)
  setResponseHeader(event, 'x-ratelimit-reset', Math.ceil(Date.now() / 1000) + resetInSeconds)
  return refuse(event, 429, 'RateLimitError', 'Too many requests, please try again later.')
}

/**
 * Strapi 5 users-permissions with refresh mode on: `{ jwt, refreshToken, user }`, rotating refresh.
 * With the `strapiHttpOnly` knob (`sessions.httpOnly`, as Strapi's project template sets it) the
 * refresh token is a cookie and the body has none. Logout needs a valid bearer, as Strapi's does,
 * and ends that session. The `loginLimit` knob is Strapi's per-address login rate limit (429).
 * `/api/articles` is a Draft & Publish collection read with an API token (`strapiTokens`).
 */
export function strapiRouter(state: MockCmsState, auth: MemberAuth) {
  const router = createRouter()
  const user = (member: { id: number, email: string, name: string }) => ({ id: member.id, documentId: `doc-${member.id}`, username: member.name, email: member.email, provider: 'local', confirmed: true, blocked: false, resetPasswordToken: null, password: '$2a$10$hash' })
  const publicUser = ({ password: _password, resetPasswordToken: _reset, ...rest }: ReturnType<typeof user>) => rest
  const tokens = (event: H3Event, jwt: string, refreshToken: string | undefined, extra: object = {}) => {
    if (!auth.knobs.strapiHttpOnly)
      return { jwt, refreshToken, ...extra }
    setResponseHeader(event, 'set-cookie', `${REFRESH_COOKIE}=${refreshToken}; Path=/; HttpOnly; SameSite=Lax`)
    return { jwt, ...extra }
  }

  router.post('/api/auth/local', defineEventHandler(async (event) => {
    count(state, 'strapi.login')
    // Strapi's koa counts the address it believes: X-Forwarded-For when it trusts the proxy.
    if (!auth.loginAllowed(getHeader(event, 'x-forwarded-for') ?? 'this-server')) {
      count(state, 'strapi.login.limited')
      return rateLimited(event, 42)
    }
    const body = await readBody(event)
    const member = findMember(body?.identifier, body?.password)
    if (!member)
      return refuse(event, 400, 'ValidationError', 'Invalid identifier or password')
    const issued = auth.issue(member)
    return tokens(event, issued.token, issued.refreshToken, { user: publicUser(user(member)) })
  }))
  router.post('/api/auth/refresh', defineEventHandler(async (event) => {
    const result = await auth.useRefreshToken('strapi', getCookie(event, REFRESH_COOKIE) ?? (await readBody(event))?.refreshToken)
    if (result === 'network')
      return dropConnection(event)
    if (result === '500')
      return refuse(event, 500, 'InternalServerError', 'Internal Server Error')
    if (result === '429')
      return rateLimited(event, 30)
    return result === 'reject' ? refuse(event, 401, 'UnauthorizedError', 'Invalid refresh token') : tokens(event, result.token, result.refreshToken)
  }))
  router.post('/api/auth/logout', defineEventHandler(async (event) => {
    count(state, 'strapi.logout')
    const token = getHeader(event, 'authorization')?.replace(/^Bearer /, '')
    const result = auth.check(token)
    if (!result.ok) {
      count(state, 'strapi.logout.rejected')
      return refuse(event, 401, 'UnauthorizedError', 'Missing authentication')
    }
    auth.revoke(result.member, token)
    return { ok: true }
  }))
  const member = (event: H3Event) => {
    const result = auth.check(getHeader(event, 'authorization')?.replace(/^Bearer /, ''))
    return result.ok ? result.member : refuse(event, 401, 'UnauthorizedError', 'Missing or invalid credentials')
  }
  router.get('/api/users/me', defineEventHandler((event) => {
    const who = member(event)
    return 'id' in who ? publicUser(user(who)) : who
  }))
  // Content (Draft & Publish): the Public role has no `find`, so an API token is needed; any valid
  // one reads drafts, as Strapi's do.
  const contentReader = (event: H3Event) => {
    const authorization = getHeader(event, 'authorization')
    if (!authorization)
      return refuse(event, 403, 'ForbiddenError', 'Forbidden')
    return [strapiTokens.readOnly, strapiTokens.preview].some(token => authorization === `Bearer ${token}`) ? undefined : refuse(event, 401, 'UnauthorizedError', 'Missing or invalid credentials')
  }
  const versions = (event: H3Event) => wantsDrafts(event) ? [strapiArticles.draftOfPublished, strapiArticles.draft] : [strapiArticles.published]
  router.get('/api/articles', defineEventHandler((event) => {
    count(state, 'strapi.articles')
    const data = versions(event)
    return contentReader(event) ?? { data, meta: { pagination: { page: 1, pageSize: 25, pageCount: 1, total: data.length } } }
  }))
  // Create: `status=draft` keeps it a draft, anything else publishes it (Strapi 5.54, seen live).
  router.post('/api/articles', defineEventHandler(async (event) => {
    const refused = contentReader(event)
    if (refused)
      return refused
    setResponseStatus(event, 201)
    const draft = new URLSearchParams(event.path.split('?')[1] ?? '').get('status') === 'draft'
    return { data: { id: 4, documentId: 'strapi-new-doc', title: (await readBody(event))?.data?.title, publishedAt: draft ? null : new Date().toISOString() }, meta: {} }
  }))
  router.get('/api/articles/:documentId', defineEventHandler((event) => {
    const refused = contentReader(event)
    if (refused)
      return refused
    const found = versions(event).find(article => article.documentId === event.context.params!.documentId)
    return found ? { data: found, meta: {} } : refuse(event, 404, 'NotFoundError', 'Not Found')
  }))
  router.get('/api/members', defineEventHandler((event) => {
    count(state, 'strapi.members')
    const who = member(event)
    return 'id' in who ? { data: [{ id: 1, title: `For ${who.name}` }], meta: {} } : who
  }))
  return router
}
