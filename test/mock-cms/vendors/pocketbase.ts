import { createRouter, defineEventHandler, getHeader, getRouterParam, readBody, setResponseHeader, setResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import type { Member } from '../members'
import { findMember } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'
import type { MockTokens } from '../tokens'
import { dropConnection } from './kuroco-member'
import type { MemberAuth } from './member-auth'

function refuse(event: H3Event, status: number, message: string, data: object = {}) {
  setResponseStatus(event, status)
  return { status, message, data }
}

/** PocketBase's superuser (`_superusers`): a member of no other collection. */
const superuser = { id: 1, email: 'root@example.com', password: 'root-password', name: 'Root' } satisfies Member
/** Who the impersonate token (a static, long-lived token) authenticates as. */
const impersonated = { id: 800, email: 'reader@example.com', password: '', name: 'Reader' } satisfies Member

/**
 * PocketBase 0.23+: `Authorization: <token>` with no scheme (a `Bearer ` prefix is tolerated, as
 * PocketBase does). An invalid or expired token is ignored on record routes, which then answer as
 * to a guest (the list rule filters everything out); `auth-refresh` and superuser-only
 * collections refuse. Two auth collections: `users` (the members) and `_superusers` (root).
 */
export function pocketbaseRouter(state: MockCmsState, auth: MemberAuth, keys: () => MockTokens) {
  const router = createRouter()
  const superTokens = new Set<string>()
  const record = (member: Member, collection: string) => ({ collectionId: `pbc_${collection}`, collectionName: collection, id: `rec${member.id}`, email: member.email, emailVisibility: false, verified: true, name: member.name, created: '2026-11-01 00:00:00.000Z', updated: '2026-11-01 00:00:00.000Z' })
  const tokenOf = (event: H3Event) => getHeader(event, 'authorization')?.replace(/^Bearer /, '')

  /** The authenticated record, or undefined for a guest (PocketBase drops a token it cannot verify). */
  function authOf(event: H3Event): { member: Member, collection: string } | undefined {
    const token = tokenOf(event)
    if (token && token === keys().pocketbase)
      return { member: impersonated, collection: 'users' }
    const result = auth.check(token)
    return result.ok ? { member: result.member, collection: superTokens.has(token!) ? '_superusers' : 'users' } : undefined
  }

  router.post('/api/collections/:collection/auth-with-password', defineEventHandler(async (event) => {
    const collection = getRouterParam(event, 'collection')!
    count(state, 'pocketbase.login')
    const body = await readBody(event)
    if (!body?.identity)
      return refuse(event, 400, 'Failed to authenticate.', { identity: { code: 'validation_required', message: 'Missing required value.' } })
    const member = collection === '_superusers'
      ? (body.identity === superuser.email && body.password === superuser.password ? superuser : undefined)
      : findMember(body.identity, body.password)
    if (!member || !['users', '_superusers'].includes(collection))
      return refuse(event, 400, 'Failed to authenticate.')
    const issued = auth.issue(member, { withRefresh: false })
    if (collection === '_superusers')
      superTokens.add(issued.token)
    return { token: issued.token, record: record(member, collection) }
  }))
  router.post('/api/collections/:collection/auth-refresh', defineEventHandler(async (event) => {
    const collection = getRouterParam(event, 'collection')!
    const token = tokenOf(event)
    // An impersonate token is not refreshable: PocketBase answers it back unchanged.
    if (token && token === keys().pocketbase)
      return { token, record: record(impersonated, 'users') }
    const result = await auth.renewAccess('pocketbase', token)
    if (result === 'network')
      return dropConnection(event)
    if (result === '500')
      return refuse(event, 500, 'Something went wrong while processing your request.')
    if (result === '429') {
      setResponseHeader(event, 'retry-after', 30)
      return refuse(event, 429, 'Too Many Requests.')
    }
    if (result === 'reject')
      return refuse(event, 401, 'The request requires valid record authorization token.')
    if (superTokens.has(token!))
      superTokens.add(result.token)
    const member = auth.check(result.token)
    return { token: result.token, record: member.ok ? record(member.member, collection) : null }
  }))
  // List rule `@request.auth.id != ""`: a guest (no token, or one PocketBase ignores) sees nothing.
  router.get('/api/collections/members/records', defineEventHandler((event) => {
    count(state, 'pocketbase.members')
    const who = authOf(event)
    const items = who ? [{ id: 'm1', collectionName: 'members', title: `For ${who.member.name}` }] : []
    return { page: 1, perPage: 30, totalItems: items.length, totalPages: items.length, items }
  }))
  // No API rule (null): superusers only.
  router.get('/api/collections/audit/records', defineEventHandler((event) => {
    const who = authOf(event)
    if (who?.collection !== '_superusers')
      return refuse(event, 403, 'Only superusers can perform this action.')
    return { page: 1, perPage: 30, totalItems: 1, totalPages: 1, items: [{ id: 'a1', collectionName: 'audit', event: `Read by ${who.member.name}` }] }
  }))
  return router
}
