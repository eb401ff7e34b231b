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
  /** Injected refresh failure: the CMS refuses it, answers 500, rate limits it (429), or drops the connection. */
  failRefresh: '' | 'reject' | '500' | '429' | 'network'
  /** Milliseconds every refresh takes, to widen race windows. */
  refreshDelay: number
  /** NocoBase: how long after `exp` a token is still renewed through `x-new-token`, seconds. */
  renewWindow: number
  /** Logins allowed per minute per client address (the request's X-Forwarded-For, else the caller), as Strapi limits them; 0: no limit. */
  loginLimit: number
  /** Strapi `sessions.httpOnly`: the refresh token travels as the `strapi_up_refresh` cookie, not in the body. */
  strapiHttpOnly: boolean
  /** Payload's `csrf`: the origins whose cookie requests count; [] (Payload's default without serverURL) accepts any. */
  payloadCsrf: string[]
}

const defaultKnobs = (): AuthKnobs => ({ accessTtl: 300, refreshTtl: 3600, rotate: true, failRefresh: '', refreshDelay: 0, renewWindow: 3600, loginLimit: 0, strapiHttpOnly: false, payloadCsrf: [] })

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** `session`: one login and its refreshes, as a CMS's session table has it. */
interface IssuedToken { member: Member, expiresAt: number, session: string, revoked?: boolean }

export type AccessCheck = { ok: true, member: Member } | { ok: false, why: 'missing' | 'invalid' | 'expired', member?: Member, expiredFor?: number }

/**
 * Tokens issued by the mock's vendors: JWT-shaped access tokens (so `exp` parsing is exercised),
 * opaque rotating refresh tokens, and per-vendor counters (`<vendor>.login`, `<vendor>.refresh`).
 */
export function createMemberAuth(state: MockCmsState) {
  const knobs = defaultKnobs()
  const access = new Map<string, IssuedToken>()
  const refresh = new Map<string, IssuedToken & { used?: boolean }>()

  function issue(member: Member, { withRefresh = true, session = randomUUID() as string } = {}) {
    const now = Date.now()
    const expiresAt = now + knobs.accessTtl * 1000
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: member.id, exp: Math.floor(expiresAt / 1000), jti: randomUUID() })}.mock`
    access.set(token, { member, expiresAt, session })
    const refreshToken = withRefresh ? `rt-${randomUUID()}` : undefined
    const refreshExpiresAt = now + knobs.refreshTtl * 1000
    if (refreshToken)
      refresh.set(refreshToken, { member, expiresAt: refreshExpiresAt, session })
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
  async function useRefreshToken(vendor: string, token: unknown): Promise<ReturnType<typeof issue> | Exclude<AuthKnobs['failRefresh'], ''>> {
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
    const next = issue(issued.member, { withRefresh: knobs.rotate, session: issued.session })
    return knobs.rotate ? next : { ...next, refreshToken: token as string }
  }

  /**
   * Payload's `refresh-token`, PocketBase's `auth-refresh`: the current access token, while it is
   * valid, is renewed in place (same session, no refresh token). Counted, delayed and failed like a refresh.
   */
  async function renewAccess(vendor: string, token: string | undefined): Promise<ReturnType<typeof issue> | Exclude<AuthKnobs['failRefresh'], ''>> {
    count(state, `${vendor}.refresh`)
    if (knobs.refreshDelay)
      await new Promise(resolve => setTimeout(resolve, knobs.refreshDelay))
    if (knobs.failRefresh)
      return knobs.failRefresh
    const result = check(token)
    if (!result.ok) {
      count(state, `${vendor}.refresh.rejected`)
      return 'reject'
    }
    return issue(result.member, { withRefresh: false, session: access.get(token!)!.session })
  }

  /** Ends every session of `member` (a password change), or only the session `token` belongs to (a logout). */
  function revoke(member: Member, token?: string) {
    const session = token && (access.get(token) ?? refresh.get(token))?.session
    for (const map of [access, refresh]) {
      for (const issued of map.values()) {
        if (issued.member === member && (!session || issued.session === session))
          issued.revoked = true
      }
    }
  }

  /** The session of a refresh token still usable, for a logout that names it (Directus, Strapi). */
  const refreshOwner = (token: unknown) => typeof token === 'string' ? refresh.get(token) : undefined

  /** Strapi-style per-address login limit: false when this login is one too many (answer 429). */
  const logins = new Map<string, number[]>()
  function loginAllowed(address: string): boolean {
    if (!knobs.loginLimit)
      return true
    const now = Date.now()
    const recent = (logins.get(address) ?? []).filter(time => time > now - 60_000)
    logins.set(address, [...recent, now])
    return recent.length < knobs.loginLimit
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
  // A password change: every access and refresh token of the member stops working at once.
  control.post('/change-password', defineEventHandler(async (event) => {
    const email = (await readBody(event))?.email
    const member = members.find(m => m.email === email)
    if (member)
      revoke(member)
    return { revoked: Boolean(member) }
  }))
  // An admin revoked the member's sessions: refresh tokens are refused, issued access tokens keep working until they expire.
  control.post('/revoke-sessions', defineEventHandler(async (event) => {
    const email = (await readBody(event))?.email
    for (const issued of refresh.values()) {
      if (issued.member.email === email)
        issued.revoked = true
    }
    return { ok: true }
  }))

  return {
    knobs,
    issue,
    check,
    useRefreshToken,
    renewAccess,
    revoke,
    refreshOwner,
    loginAllowed,
    members,
    control,
    reset() {
      Object.assign(knobs, defaultKnobs())
      access.clear()
      refresh.clear()
      logins.clear()
    },
  }
}

export type MemberAuth = ReturnType<typeof createMemberAuth>
