import type { DevtoolsAuthEvent } from './redact'

/** One proxied request as the tab shows it: the path is already redacted. */
export interface DevtoolsRequest {
  api: string
  method: string
  path: string
  status: number
  ms: number
  at: number
}

export interface DevtoolsStore {
  requests: DevtoolsRequest[]
  timeline: DevtoolsAuthEvent[]
  /** Latest reported state per dynamic API (status and expiry, never a token). */
  tokens: Record<string, Pick<DevtoolsAuthEvent, 'status' | 'expiresAt' | 'at'>>
}

const LIMIT = 100
const key = Symbol.for('nuxt-cms-auth:devtools')

/**
 * Dev only: the Nitro plugin, the route and the SSR side of the app share one store through
 * globalThis, since Nitro and the app's server bundle are separate module graphs in one process.
 */
export function useDevtoolsStore(): DevtoolsStore {
  const holder = globalThis as { [key]?: DevtoolsStore }
  holder[key] ??= { requests: [], timeline: [], tokens: {} }
  return holder[key]
}

export function pushLimited<T>(list: T[], item: T): void {
  list.unshift(item)
  list.length = Math.min(list.length, LIMIT)
}

export function recordAuthEvent(store: DevtoolsStore, event: DevtoolsAuthEvent): void {
  if (event.event !== 'state')
    pushLimited(store.timeline, event)
  if (event.status || event.expiresAt !== undefined) {
    const previous = store.tokens[event.api]
    store.tokens[event.api] = { status: event.status ?? previous?.status, expiresAt: event.expiresAt !== undefined ? event.expiresAt : previous?.expiresAt, at: event.at }
  }
}
