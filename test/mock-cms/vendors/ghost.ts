import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { createRouter, defineEventHandler, getHeader, getQuery, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'

/** Ghost's error body (@tryghost/errors), as its APIs answer it. */
function refuse(event: H3Event, status: number, type: string, message: string, code: string | null, context: string | null = null) {
  setResponseStatus(event, status)
  return { errors: [{ message, context, type, details: null, property: null, help: null, code, id: randomUUID(), ghostErrorCode: null }] }
}

const posts = [{ id: 'p1', title: 'Ghost post read with the Content API key', slug: 'welcome' }]

/**
 * Ghost 5: the Content API (`/ghost/api/content/…?key=`) and the Admin API (`/ghost/api/admin/…`,
 * `Authorization: Ghost <jwt>`). The admin token is checked as Ghost's api-key auth does: an HS256
 * JWT whose `kid` is a known Admin API key id, signed with that key's hex-decoded secret, `aud`
 * the API (`/admin/`), at most 5 minutes since `iat`, not past `exp`.
 */
export function ghostRouter(state: MockCmsState, keys: () => MockTokens) {
  const router = createRouter()

  /** `undefined` when the token is good, else the error Ghost answers. */
  function checkAdminToken(event: H3Event): object | undefined {
    const authorization = getHeader(event, 'authorization')
    if (!authorization)
      return refuse(event, 403, 'NoPermissionError', 'Authorization failed', null, 'Unable to determine the authenticated user or integration. Check that cookies are being passed through if using session authentication.')
    const [scheme, token] = authorization.split(' ')
    if (!/^Ghost$/i.test(scheme ?? '') || !token)
      return refuse(event, 401, 'UnauthorizedError', 'Authorization header format is "Authorization: Ghost [token]"', 'INVALID_AUTH_HEADER')
    const [header, payload, signature] = token.split('.')
    const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))
    let claims: { iat?: number, exp?: number, aud?: string }
    let kid: string | undefined
    try {
      const parsed = decode(header)
      if (parsed.alg !== 'HS256')
        return refuse(event, 401, 'UnauthorizedError', 'Invalid token: invalid algorithm', 'INVALID_JWT')
      kid = parsed.kid
      claims = decode(payload)
    }
    catch {
      return refuse(event, 400, 'BadRequestError', 'Invalid token', 'INVALID_JWT')
    }
    const [id, secret] = keys().ghostAdmin.split(':')
    if (!kid)
      return refuse(event, 400, 'BadRequestError', 'Admin API kid missing.', 'MISSING_ADMIN_API_KID')
    if (kid !== id)
      return refuse(event, 401, 'UnauthorizedError', 'Unknown Admin API Key', 'UNKNOWN_ADMIN_API_KEY')
    const expected = createHmac('sha256', Buffer.from(secret!, 'hex')).update(`${header}.${payload}`).digest()
    const given = Buffer.from(signature ?? '', 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return refuse(event, 401, 'UnauthorizedError', 'Invalid token: invalid signature', 'INVALID_JWT')
    const now = Date.now() / 1000
    if (typeof claims.exp === 'number' && claims.exp <= now)
      return refuse(event, 401, 'UnauthorizedError', 'Invalid token: jwt expired', 'INVALID_JWT')
    if (typeof claims.iat !== 'number' || claims.iat + 300 < now)
      return refuse(event, 401, 'UnauthorizedError', 'Invalid token: maxAge exceeded', 'INVALID_JWT')
    if (!/\/?admin\/?$/.test(claims.aud ?? ''))
      return refuse(event, 401, 'UnauthorizedError', 'Invalid token: jwt audience invalid. expected: /admin/', 'INVALID_JWT')
    return undefined
  }

  const contentPosts = defineEventHandler((event) => {
    count(state, 'ghost.content')
    const { key } = getQuery(event)
    if (!key)
      return refuse(event, 403, 'NoPermissionError', 'Authorization failed', null, 'Unable to determine the authenticated member or integration. Check the supplied Content API Key and ensure cookies are being passed through if member auth is failing.')
    if (key !== keys().ghostContent)
      return refuse(event, 401, 'UnauthorizedError', 'Unknown Content API Key', 'UNKNOWN_CONTENT_API_KEY')
    return { posts, meta: { pagination: { page: 1, limit: 15, pages: 1, total: posts.length, next: null, prev: null } } }
  })
  const adminPosts = defineEventHandler((event) => {
    count(state, 'ghost.admin')
    return checkAdminToken(event) ?? { posts: [...posts, { id: 'p2', title: 'Ghost draft read with a signed Admin API token', slug: 'draft', status: 'draft' }], meta: { pagination: { page: 1, limit: 15, pages: 1, total: 2, next: null, prev: null } } }
  })
  // Ghost's URLs end in `/`; the router takes both spellings.
  router.get('/ghost/api/content/posts', contentPosts)
  router.get('/ghost/api/admin/posts', adminPosts)
  return router
}
