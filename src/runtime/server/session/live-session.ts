import { createSend } from '../../core/client/dynamic-client'
import { createStorageLock } from '../../core/session/session-lock'
import { isNewerTokenSet, sessionLifetime, sessionRecordKey, UNKNOWN_LIFETIME_SECONDS } from '../../core/session/session-data'
import type { SessionRecord } from '../../core/session/session-data'
import { createTokenSession } from '../../core/tokens/token-session'
import type { TokenSession } from '../../core/tokens/token-session'
import { retryAfterOf, retryAt } from '../../core/tokens/retry-after'
import { isAuthError } from '../../core/tokens/tokens'
import type { Send, TokenSet } from '../../core/tokens/tokens'
import { serverClientConfig } from '../proxy/proxy-config'
import type { SessionApi } from './session-config'
import { sessionStore } from './session-store'

/**
 * The sessions this instance is working on right now: one token session per browser session with
 * requests in flight, so those requests share one refresh (under a lock every instance sees) and
 * write the session record once. server-session.ts opens one per request.
 */

/** One API's token session shared by the requests of one browser session in flight in this instance. */
export interface LiveSession {
  tokens: TokenSet | null
  user: unknown
  session: TokenSession
  users: number
  /** Record writes the refresh lock (or the request) waits for before letting the next one in. */
  pending: Promise<unknown>[]
  /** The visitor address of the latest request, for `forwardClientAddress`. */
  client?: string
  /** `Retry-After` of the CMS's last 429 to a login or refresh. */
  retryAfter?: string
  /**
   * Why the last refresh failed without ending the session (the CMS rate limiting or down, the
   * lock or storage not answering); cleared by the next refresh that succeeds.
   */
  failure?: unknown
  /** Until when (epoch ms) the CMS asked not to be asked again: its 429's `Retry-After`. */
  retryAt?: number
}

// Keyed by `<api>:<session id>` and removed when its last request ends: it holds no one's
// tokens between requests, only while requests of that session are running.
export const live = new Map<string, LiveSession>()
const refreshLock = createStorageLock(sessionStore.lock, { ttlMs: 30_000, waitMs: 20_000, pollMs: 20 })

/** Seconds a record (and the cookie) of `tokens` lives: docs/modes/server-session.md, "Session lifetime". */
export const lifetimeOf = (api: SessionApi, tokens: TokenSet) => sessionLifetime(tokens, { maxAge: api.options.cookie.maxAge, presetDefault: api.options.lifetime }, Date.now())

export function writeRecord(api: SessionApi, id: string, record: SessionRecord): Promise<void> {
  return sessionStore.set(sessionRecordKey(api.proxy.name, id), record, lifetimeOf(api, record.tokens) || UNKNOWN_LIFETIME_SECONDS)
}

/** Login and refresh calls to the CMS: the visitor's address when asked for, the CMS's Retry-After kept. */
function sessionSend(api: SessionApi, entry: LiveSession): Send {
  const config = serverClientConfig(api.proxy)
  const headers = config.headers ?? {}
  const send = createSend(config)
  return async (request) => {
    config.headers = api.options.forwardClientAddress && entry.client && !request.token ? { ...headers, 'x-forwarded-for': entry.client } : headers
    const response = await send(request)
    if (response.status === 429)
      entry.retryAfter = retryAfterOf(response.header, Date.now())
    return response
  }
}

export function createLiveSession(api: SessionApi, id: string): LiveSession {
  const key = sessionRecordKey(api.proxy.name, id)
  const lock = refreshLock(`session-lock:${api.proxy.name}:${id}`)
  const entry: LiveSession = { tokens: null, user: undefined, users: 0, pending: [], session: undefined as unknown as TokenSession }
  entry.session = createTokenSession({
    protocol: api.protocol,
    endpoints: api.options.endpoints,
    send: sessionSend(api, entry),
    marginMs: api.options.refreshMargin * 1000,
    storage: { read: () => entry.tokens, write: (tokens) => {
      entry.tokens = tokens
    } },
    // Whoever held the lock before us may have refreshed (take its tokens rather than spend the
    // rotated refresh token again) or ended the session (then there is nothing to refresh).
    // Until the Retry-After of the CMS's 429 to the last refresh, this instance's requests of the
    // session do not ask again (a render would otherwise try twice: before the page, then in its call).
    lock: (task) => {
      if (entry.failure !== undefined && Date.now() < (entry.retryAt ?? 0))
        return Promise.reject(entry.failure)
      return lock(async () => {
        const record = await sessionStore.get<SessionRecord>(key)
        if (!record)
          entry.tokens = null
        else if (isNewerTokenSet(record.tokens, entry.tokens))
          entry.tokens = record.tokens
        try {
          return await task()
        }
        finally {
          await Promise.all(entry.pending.splice(0))
        }
      }).catch((error: unknown) => {
        entry.failure = error
        entry.retryAt = isAuthError(error) && error.statusCode === 429 ? retryAt(entry.retryAfter, Date.now()) : undefined
        throw error
      })
    },
    onEvent: (event) => {
      if (event.type === 'refresh') {
        entry.failure = undefined
        entry.pending.push(writeRecord(api, id, { tokens: event.tokens, user: entry.user }))
      }
      else if (event.type === 'logout')
        entry.pending.push(sessionStore.remove(key))
    },
  })
  return entry
}
