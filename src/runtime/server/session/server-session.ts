import type { H3Event } from 'h3'
import { getCookie, getRequestProtocol, sealSession, setCookie, unsealSession } from 'h3'
import type { $Fetch } from 'ofetch'
import { createDynamicClient } from '../../core/client/dynamic-client'
import { isNewerTokenSet, sessionRecordKey } from '../../core/session/session-data'
import type { SessionCookie, SessionRecord } from '../../core/session/session-data'
import { pickUser } from '../../core/session/session-user'
import { responseStarted } from '../proxy/h3-request'
import type { TokenSession } from '../../core/tokens/token-session'
import { authError, isAuthError } from '../../core/tokens/tokens'
import type { TokenSet } from '../../core/tokens/tokens'
import { clientAddressOf } from '../proxy/client-checks'
import { serverClientConfig } from '../proxy/proxy-config'
import type { SessionApi } from './session-config'
import { createLiveSession, lifetimeOf, live, writeRecord } from './live-session'
import { renewalCallError, sessionEndedError } from './session-failure'
import type { LiveSession } from './live-session'
import { sessionStore } from './session-store'

/** What the page may know about a session: never a token. */
export interface SessionState {
  status: 'logged-out' | 'anonymous' | 'logged-in'
  user: unknown
  expiresAt: number | null
}

const sealConfig = (api: SessionApi) => ({ name: api.options.cookie.name, password: api.password, sessionHeader: false as const })

/** How long the marker of an ended session covers requests the browser had queued, seconds. */
const ENDED_MARKER_SECONDS = 5

export type RequestSession = Awaited<ReturnType<typeof openSession>>

/**
 * The server-held session of `api` for this request: the sealed cookie names it, its record in
 * Nitro storage holds it (one read per request, shared with the request's other calls through
 * `event.context`). A storage failure rejects with a 503 and leaves the session as it was.
 */
export function useRequestSession(event: H3Event, api: SessionApi): Promise<RequestSession> {
  const sessions = (event.context.cmsAuthSessions ||= {}) as Record<string, Promise<RequestSession>>
  return sessions[api.proxy.name] ||= openSession(event, api)
}

/** The session the request's cookie names (unsealed once per request; no storage read). */
export function readSessionCookie(event: H3Event, api: SessionApi): Promise<SessionCookie | undefined> {
  const cookies = (event.context.cmsAuthSessionCookies ||= {}) as Record<string, Promise<SessionCookie | undefined>>
  const sent = getCookie(event, api.options.cookie.name)
  return cookies[api.proxy.name] ||= sent ? unsealCookie(event, api, sent) : Promise.resolve(undefined)
}

async function openSession(event: H3Event, api: SessionApi) {
  const { cookie } = api.options
  const sent = getCookie(event, cookie.name)
  const sealed = await readSessionCookie(event, api)
  let id = sealed?.id ?? ''
  let createdAt = sealed?.createdAt ?? Date.now()
  const record = id ? await sessionStore.get<SessionRecord>(sessionRecordKey(api.proxy.name, id)) : undefined
  let tokens: TokenSet | null = record?.tokens ?? null
  let user: unknown = record?.user
  // The sealed value the browser holds for `id` (kept: a refresh only changes the record).
  let value = record ? sent : undefined
  // What the browser's cookie says now; `commit` writes a difference.
  let committed: TokenSet | null = tokens
  // The browser learnt that its session ended moments ago, but had requests queued (a browser
  // sends only a few at once): those arrive without the session cookie and must not reach the
  // CMS as anonymous requests. A short-lived marker cookie, which holds no session, says so.
  const endedMarker = `${cookie.name}_ended`
  const marked = !sent && getCookie(event, endedMarker) !== undefined
  // This answer itself tells the browser there is no session (its logout, its failed login): no marker.
  let answerTells = false
  let current: LiveSession | undefined
  const client = api.options.forwardClientAddress ? clientAddressOf(event, api.proxy) : undefined

  async function run<T>(task: (session: TokenSession) => Promise<T>): Promise<T> {
    id ||= crypto.randomUUID()
    const key = `${api.proxy.name}:${id}`
    let entry = live.get(key)
    if (!entry) {
      entry = createLiveSession(api, id)
      entry.tokens = tokens
      entry.user = user
      // A refresh of this request failed in an entry that is gone (the render's settle()): the
      // new one keeps its verdict, so the page's call does not ask the rate-limiting CMS again.
      if (current)
        Object.assign(entry, { failure: current.failure, retryAt: current.retryAt, retryAfter: current.retryAfter })
      live.set(key, entry)
    }
    else if (isNewerTokenSet(tokens, entry.tokens)) {
      entry.tokens = tokens
    }
    entry.client = client
    entry.users++
    current = entry
    try {
      return await task(entry.session)
    }
    finally {
      tokens = entry.tokens
      if (--entry.users === 0 && live.get(key) === entry)
        live.delete(key)
      await Promise.all(entry.pending.splice(0))
    }
  }

  /** Writes the session cookie when the session began, was renewed or ended (before the response starts). */
  async function commit(): Promise<void> {
    if (current)
      tokens = current.tokens
    if (tokens === committed || responseStarted(event))
      return
    committed = tokens
    if (!tokens) {
      value = undefined
      if (!answerTells)
        setCookie(event, endedMarker, '1', { ...cookieAttributes(event, api), maxAge: ENDED_MARKER_SECONDS })
      return setCookie(event, cookie.name, '', { ...cookieAttributes(event, api), maxAge: 0 })
    }
    if (marked)
      setCookie(event, endedMarker, '', { ...cookieAttributes(event, api), maxAge: 0 })
    value ||= await seal({ id, createdAt })
    // Re-sent after a refresh: the same value, with the lifetime the new tokens give.
    setCookie(event, cookie.name, value, { ...cookieAttributes(event, api), maxAge: lifetimeOf(api, tokens) })
  }

  function seal(sessionCookie: SessionCookie): Promise<string> {
    const sessions = (event.context.sessions ||= Object.create(null)) as Record<string, unknown>
    sessions[cookie.name] = { id: sessionCookie.id, createdAt: sessionCookie.createdAt, data: {} }
    return sealSession(event, sealConfig(api))
  }

  // A cookie that names no live session (logged out, revoked, refused, another password) is cleared.
  if (sent && !record) {
    setCookie(event, endedMarker, '1', { ...cookieAttributes(event, api), maxAge: ENDED_MARKER_SECONDS })
    setCookie(event, cookie.name, '', { ...cookieAttributes(event, api), maxAge: 0 })
  }

  const handle = {
    get id() {
      return id
    },
    tokens: () => current?.tokens ?? tokens,
    /**
     * The browser sent a session cookie, and there is no live session behind it: its record is
     * gone, or the CMS refused its refresh during this request.
     */
    ended: () => (Boolean(sent) || marked) && !(current?.tokens ?? tokens),
    /** `Retry-After` of the CMS's 429 to this request's login or refresh. */
    retryAfter: () => current?.retryAfter,
    /** Why this session's last refresh failed and left it as it was (a CMS 429 or outage, storage). */
    renewalFailure: () => current?.failure,
    state(): SessionState {
      const set = current?.tokens ?? tokens
      return { status: !set ? 'logged-out' : set.anonymous ? 'anonymous' : 'logged-in', user: set && !set.anonymous ? user ?? null : null, expiresAt: set?.expiresAt ?? null }
    },
    run,
    commit,
    /**
     * A page is about to render from this session: a token that is due is refreshed now, so the
     * page renders what the CMS says (a refused refresh renders logged out). A CMS that cannot
     * be reached leaves the session as it is.
     */
    async settle(): Promise<void> {
      if (handle.tokens()) {
        await run(session => session.accessToken()).catch((error: unknown) => {
          if (!isAuthError(error))
            throw error
        })
      }
      await commit()
    },
    /**
     * A `$fetch` to the CMS with this session's access token: refresh and one replay included.
     * Once the session has ended, calls fail with 401 without reaching the CMS, and `onEnded` runs.
     */
    client(onEnded?: () => void): $Fetch {
      const settled = <T>(result: Promise<T>) => result.finally(async () => {
        await commit()
        if (handle.ended())
          onEnded?.()
      })
      const facade = {
        call: <T>(request: (token: string | undefined) => Promise<T>, verdictOf: Parameters<TokenSession['call']>[1]) => settled(handle.ended()
          ? Promise.reject(sessionEndedError())
          : run(session => session.call(request, verdictOf)).catch((error: unknown) => {
              throw renewalCallError(error, verdictOf, { ended: handle.ended(), failure: current?.failure, retryAfter: current?.retryAfter }) ?? error
            })),
        renew: (token: string) => current?.session.renew(token),
      }
      return createDynamicClient(api.proxy.name, serverClientConfig(api.proxy), api.protocol, () => facade as unknown as TokenSession)
    },
    async login(credentials?: Record<string, unknown>): Promise<SessionState> {
      // A new id on every login: a session id known before logging in is worth nothing after.
      id = crypto.randomUUID()
      createdAt = Date.now()
      tokens = null
      user = undefined
      value = undefined
      committed = null
      current = undefined
      const result = await run(session => session.login(credentials))
      let found = result.user
      const userPath = api.options.endpoints.user
      if (found === undefined && api.options.fetchUser && userPath && !result.tokens.anonymous)
        found = await handle.client()(userPath).then(body => api.protocol.readUser ? api.protocol.readUser(body) : body)
      user = result.tokens.anonymous ? undefined : pickUser(found, api.options.userFields)
      current!.user = user
      await writeRecord(api, id, { tokens: handle.tokens()!, user }).catch((error: unknown) => {
        // No record, no session: no cookie may name one (the tokens end with this request).
        current!.tokens = tokens = null
        answerTells = true
        throw error
      })
      await commit()
      return handle.state()
    },
    async logout(): Promise<SessionState> {
      answerTells = true
      if (tokens)
        await run(session => session.logout())
      // The record went with the logout event: every copy of the cookie is worth nothing from now on.
      tokens = null
      await commit()
      return handle.state()
    },
    async refresh(): Promise<SessionState> {
      if (!handle.tokens())
        throw authError('rejected', 'not logged in')
      await run(session => session.refresh()).finally(commit)
      return handle.state()
    },
  }
  return handle
}

async function unsealCookie(event: H3Event, api: SessionApi, value: string): Promise<SessionCookie | undefined> {
  // A cookie sealed with another password, or tampered with, names no session.
  const unsealed = await unsealSession(event, sealConfig(api), value).catch(() => undefined) as Partial<SessionCookie> | undefined
  return typeof unsealed?.id === 'string' && unsealed.id ? { id: unsealed.id, createdAt: Number(unsealed.createdAt) || Date.now() } : undefined
}

function cookieAttributes(event: H3Event, api: SessionApi) {
  const { cookie } = api.options
  return {
    httpOnly: true,
    path: cookie.path,
    domain: cookie.domain,
    sameSite: cookie.sameSite,
    secure: cookie.secure ?? getRequestProtocol(event, { xForwardedProto: true }) === 'https',
  }
}
