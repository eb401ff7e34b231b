import type { H3Event } from 'h3'
import { getCookie, getRequestProtocol, sealSession, setCookie, unsealSession } from 'h3'
import type { $Fetch } from 'ofetch'
import { createDynamicClient, createSend } from '../../core/dynamic-client'
import { createStorageLock } from '../../core/session-lock'
import { isNewerTokenSet, sessionPlacement } from '../../core/session-data'
import type { SessionData } from '../../core/session-data'
import { createTokenSession } from '../../core/token-session'
import type { TokenSession } from '../../core/token-session'
import type { TokenSet } from '../../core/tokens'
import { serverClientConfig } from '../proxy-config'
import type { SessionApi } from './session-config'
import { sessionStore } from './session-store'

/** What the page may know about a session: never a token. */
export interface SessionState {
  status: 'logged-out' | 'anonymous' | 'logged-in'
  user: unknown
  expiresAt: number | null
}

/** One API's token session shared by the requests of one browser session in flight in this instance. */
interface LiveSession {
  tokens: TokenSet | null
  session: TokenSession
  users: number
  /** Storage writes the refresh lock waits for before letting the next holder in. */
  pending: Promise<unknown>[]
  /** The sealed cookie for `tokens`, so concurrent responses hand the browser the same one. */
  sealed?: { tokens: TokenSet | null, user: unknown, value: string }
}

// Keyed by `<api>:<session id>` and removed when its last request ends: it holds no one's
// tokens between requests, only while requests of that session are running.
const live = new Map<string, LiveSession>()
const refreshLock = createStorageLock(sessionStore.lock, { ttlMs: 30_000, waitMs: 20_000, pollMs: 20 })
// How long the latest tokens of a refreshed session stay readable by requests (and instances)
// that still carry the previous cookie: until the refresh token would expire, at most a day.
const latestTtl = (tokens: TokenSet) => Math.min(86_400, Math.max(60, ((tokens.refreshExpiresAt ?? Date.now() + 3_600_000) - Date.now()) / 1000))

function createLiveSession(api: SessionApi, key: string): LiveSession {
  const latestKey = `session-latest:${key}`
  const lock = refreshLock(`session-lock:${key}`)
  const entry: LiveSession = { tokens: null, users: 0, pending: [], session: undefined as unknown as TokenSession }
  entry.session = createTokenSession({
    protocol: api.protocol,
    endpoints: api.options.endpoints,
    send: createSend(serverClientConfig(api.proxy)),
    marginMs: api.options.refreshMargin * 1000,
    storage: { read: () => entry.tokens, write: (tokens) => {
      entry.tokens = tokens
    } },
    // Whoever held the lock before us may have refreshed: take its tokens rather than spend the
    // (rotated, now invalid) refresh token a second time.
    lock: task => lock(async () => {
      const latest = await sessionStore.get<TokenSet>(latestKey)
      if (isNewerTokenSet(latest, entry.tokens))
        entry.tokens = latest
      try {
        return await task()
      }
      finally {
        await Promise.all(entry.pending.splice(0))
      }
    }),
    onEvent: (event) => {
      if (event.type === 'refresh')
        entry.pending.push(sessionStore.set(latestKey, event.tokens, latestTtl(event.tokens)))
      else if (event.type === 'logout')
        entry.pending.push(sessionStore.remove(latestKey))
    },
  })
  return entry
}

const sealConfig = (api: SessionApi) => ({ name: api.options.cookie.name, password: api.password, sessionHeader: false as const })

export type RequestSession = Awaited<ReturnType<typeof openSession>>

/**
 * The server-held session of `api` for this request: read from the sealed cookie (or Nitro
 * storage when it did not fit), shared with the request's other calls through `event.context`.
 */
export function useRequestSession(event: H3Event, api: SessionApi): Promise<RequestSession> {
  const sessions = (event.context.cmsAuthSessions ||= {}) as Record<string, Promise<RequestSession>>
  return sessions[api.proxy.name] ||= openSession(event, api)
}

async function openSession(event: H3Event, api: SessionApi) {
  const { cookie } = api.options
  const unsealed = await readSealed(event, api)
  let id = unsealed?.id ?? ''
  let createdAt = unsealed?.createdAt ?? Date.now()
  let data: SessionData = unsealed?.data ?? {}
  if (data.stored)
    data = (await sessionStore.get<SessionData>(`session:${api.proxy.name}:${id}`)) ?? {}
  let tokens = data.tokens ?? null
  let user = data.user
  // What the browser's cookie holds now; a difference is written back by `commit`.
  let committed = { tokens, user }
  let current: LiveSession | undefined

  async function run<T>(task: (session: TokenSession) => Promise<T>): Promise<T> {
    id ||= crypto.randomUUID()
    const key = `${api.proxy.name}:${id}`
    let entry = live.get(key)
    if (!entry) {
      entry = createLiveSession(api, key)
      entry.tokens = tokens
      live.set(key, entry)
    }
    else if (isNewerTokenSet(tokens, entry.tokens)) {
      entry.tokens = tokens
    }
    entry.users++
    current = entry
    try {
      return await task(entry.session)
    }
    finally {
      tokens = entry.tokens
      if (--entry.users === 0 && live.get(key) === entry)
        live.delete(key)
    }
  }

  /** Writes the session cookie when the tokens or the user changed (before the response starts). */
  async function commit(): Promise<void> {
    if (current)
      tokens = current.tokens
    if ((tokens === committed.tokens && user === committed.user) || event.node.res.headersSent)
      return
    const storedKey = `session:${api.proxy.name}:${id}`
    committed = { tokens, user }
    if (!tokens) {
      setCookie(event, cookie.name, '', { ...cookieAttributes(event, api), maxAge: 0 })
      await sessionStore.remove(storedKey)
      return
    }
    const cached = current?.sealed
    let value = cached && cached.tokens === tokens && cached.user === user ? cached.value : await seal({ tokens, user })
    if (sessionPlacement(value) === 'storage') {
      await sessionStore.set(storedKey, { tokens, user }, maxAgeOf(tokens) ?? 86_400)
      value = await seal({ stored: true })
    }
    if (current)
      current.sealed = { tokens, user, value }
    setCookie(event, cookie.name, value, { ...cookieAttributes(event, api), maxAge: maxAgeOf(tokens) })
  }

  function seal(sessionData: SessionData): Promise<string> {
    const sessions = (event.context.sessions ||= Object.create(null)) as Record<string, unknown>
    sessions[cookie.name] = { id, createdAt, data: sessionData }
    return sealSession(event, sealConfig(api))
  }

  const maxAgeOf = (set: TokenSet) => cookie.maxAge ?? (set.refreshExpiresAt ? Math.max(0, Math.floor((set.refreshExpiresAt - Date.now()) / 1000)) : undefined)

  let client: $Fetch | undefined
  const handle = {
    get id() {
      return id
    },
    tokens: () => current?.tokens ?? tokens,
    state(): SessionState {
      const set = current?.tokens ?? tokens
      return { status: !set ? 'logged-out' : set.anonymous ? 'anonymous' : 'logged-in', user: set && !set.anonymous ? user ?? null : null, expiresAt: set?.expiresAt ?? null }
    },
    run,
    commit,
    /** A `$fetch` to the CMS with this session's access token: refresh and one replay included. */
    client(): $Fetch {
      const facade = {
        call: <T>(request: (token: string | undefined) => Promise<T>, verdictOf: Parameters<TokenSession['call']>[1]) => run(session => session.call(request, verdictOf)).finally(commit),
        renew: (token: string) => current?.session.renew(token),
      }
      return client ||= createDynamicClient(api.proxy.name, serverClientConfig(api.proxy), api.protocol, () => facade as unknown as TokenSession)
    },
    async login(credentials?: Record<string, unknown>): Promise<SessionState> {
      // A new id on every login: a session id known before logging in is worth nothing after.
      id = crypto.randomUUID()
      createdAt = Date.now()
      tokens = null
      user = undefined
      committed = { tokens: null, user: undefined }
      current = undefined
      const result = await run(session => session.login(credentials))
      user = result.user
      const userPath = api.options.endpoints.user
      if (user === undefined && api.options.fetchUser && userPath && !result.tokens.anonymous) {
        const body = await handle.client()(userPath)
        user = api.protocol.readUser ? api.protocol.readUser(body) : body
      }
      await commit()
      return handle.state()
    },
    async logout(): Promise<SessionState> {
      if (tokens)
        await run(session => session.logout())
      tokens = null
      await commit()
      return handle.state()
    },
    async refresh(): Promise<SessionState> {
      await run(session => session.refresh()).finally(commit)
      return handle.state()
    },
  }
  return handle
}

async function readSealed(event: H3Event, api: SessionApi): Promise<{ id: string, createdAt: number, data: SessionData } | undefined> {
  const value = getCookie(event, api.options.cookie.name)
  if (!value)
    return undefined
  // A cookie sealed with another password, or tampered with, is no session.
  return unsealSession(event, sealConfig(api), value).catch(() => undefined) as Promise<{ id: string, createdAt: number, data: SessionData } | undefined>
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
