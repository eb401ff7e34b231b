import type { CmsAuthState } from '../../core/auth-state'
import type { RefreshLock } from '../../core/tokens/token-session'

/** What a tab tells the others: which change, and the state after it. */
export interface TabMessage {
  type: 'login' | 'refresh' | 'logout'
  state: CmsAuthState
}

/** Tells this browser's other tabs of a change (a BroadcastChannel); the server has no other tabs. */
export function connectTabs(name: string, onMessage: (message: TabMessage) => void): (message: TabMessage) => void {
  const channel = import.meta.client && typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined
  if (channel)
    channel.onmessage = ({ data }) => onMessage(data)
  return message => channel?.postMessage(message)
}

/**
 * A Web Lock that makes the tabs' refreshes take turns, so a rotated refresh token is spent once
 * (browsers offer it to secure contexts only; none during SSR).
 */
export function tabLock(name: string): RefreshLock | undefined {
  const locks = import.meta.client ? navigator.locks : undefined
  // The DOM types miss that a callback's promise is the lock's: request() resolves to its value.
  return locks && (<T>(task: () => Promise<T>) => locks.request(name, task) as Promise<T>)
}
