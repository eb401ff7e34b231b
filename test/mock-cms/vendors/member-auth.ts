import { randomUUID } from 'node:crypto'
import { createRouter, defineEventHandler, readBody } from 'h3'
import type { Member } from '../members'
import { members } from '../members'
import type { MockCmsState } from '../state'
import { count } from '../state'

/** Test-settable behaviour of every vendor's login/refresh endpoints (`POST /__mock/knobs`). */
export interface AuthKnobs {
  /** Access token lifetime, seconds. */
  accessTtl: number
  /** Refresh token lifetime, seconds. */
  refreshTtl: number
  /** Refresh tokens are single-use and a reused one is refused (Directus, Strapi, Kuroco). */
  rotate: boolean
  /** Injected refresh failure: the CMS refuses it, answers 500, or drops the connection. */
  failRefresh: '' | 'reject' | '500' | 'network'
  /** Milliseconds every refresh takes, to widen race windows. */
  refreshDelay: number
  /** NocoBase: how long after `exp` a token is still renewed through `x-new-token`, seconds. */
  renewWindow: number
}

const defaultKnobs = (): AuthKnobs => ({ accessTtl: 300, refreshTtl: 3600, rotate: true, failRefresh: '', refreshDelay: 0, renewWindow: 3600 })

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

interface IssuedToken { member: Member, expiresAt: number, revoked?: boolean }

export type AccessCheck = { ok: true, member: Member } | { ok: false, why: 'missing' | 'invalid' | 'expired', member?: Member, expiredFor?: number }

/**
 * Tokens issued by the mock's vendors: JWT-shaped access tokens (so `exp` parsing is exercised),
 * opaque rotating refresh tokens, and per-vendor counters (`<vendor>.login`, `<vendor>.refresh`).
 */
export function createMemberAuth(state: MockCmsState) {
  const knobs = defaultKnobs()
  const access = new Map<string, IssuedToken>()
  const refresh = new Map<string, IssuedToken & { used?: boolean }>()

  function issue(member: Member, { withRefresh = true } = {}) {
    const now = Date.now()
    const expiresAt = now + knobs.accessTtl * 1000
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: member.id, exp: Math.floor(expiresAt / 1000), jti: randomUUID() })}.mock`
    access.set(token, { member, expiresAt })
    const refreshToken = withRefresh ? `rt-${randomUUID()}` : undefined
    const refreshExpiresAt = now + knobs.refreshTtl * 1000
    if (refreshToken)
      refresh.set(refreshToken, { member, expiresAt: refreshExpiresAt })
    return { token, expiresAt, refreshToken, refreshExpiresAt }
  }

  function check(token: string | undefined): AccessCheck {
    if (!token)
      return { ok: false, why: 'missing' }
    const issued = access.get(token)
    if (!issued || issued.revoked)
      return { ok: false, why: 'invalid' }
    if (issued.expiresAt <= Date.now())
      return { ok: false, why: 'expired', member: issued.member, expiredFor: Date.now() - issued.expiresAt }
    return { ok: true, member: issued.member }
  }

  /** A refresh request: counted, delayed, failures injected, rotation enforced. */
  async function useRefreshToken(vendor: string, token: unknown): Promise<ReturnType<typeof issue> | 'reject' | '500' | 'network'> {
    count(state, `${vendor}.refresh`)
    if (knobs.refreshDelay)
      await new Promise(resolve => setTimeout(resolve, knobs.refreshDelay))
    if (knobs.failRefresh)
      return knobs.failRefresh
    const issued = typeof token === 'string' ? refresh.get(token) : undefined
    if (!issued || issued.used || issued.revoked || issued.expiresAt <= Date.now()) {
      count(state, `${vendor}.refresh.rejected`)
      return 'reject'
    }
    if (knobs.rotate)
      issued.used = true
    const next = issue(issued.member, { withRefresh: knobs.rotate })
    return knobs.rotate ? next : { ...next, refreshToken: token as string }
  }

  function revoke(member: Member) {
    for (const map of [access, refresh]) {
      for (const issued of map.values()) {
        if (issued.member === member)
          issued.revoked = true
      }
    }
  }

  /** `POST /__mock/knobs` (merge), `POST /__mock/expire-access` (the CMS expires every access token now). */
  const control = createRouter()
  control.post('/knobs', defineEventHandler(async (event) => {
    Object.assign(knobs, await readBody(event))
    return knobs
  }))
  control.post('/expire-access', defineEventHandler(() => {
    for (const issued of access.values())
      issued.expiresAt = Math.min(issued.expiresAt, Date.now() - 1)
    return { expired: access.size }
  }))

  return {
    knobs,
    issue,
    check,
    useRefreshToken,
    revoke,
    members,
    control,
    reset() {
      Object.assign(knobs, defaultKnobs())
      access.clear()
      refresh.clear()
    },
  }
}

export type MemberAuth = ReturnType<typeof createMemberAuth>
