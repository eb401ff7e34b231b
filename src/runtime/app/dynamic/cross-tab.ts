import type { RefreshLock } from '../../core/tokens/token-session'

export interface TabMessage {
  type: 'login' | 'refresh' | 'logout'
  user?: unknown
}

/**
 * Tabs of one browser share the token cookie; a Web Lock makes their refreshes take turns (so a
 * rotated refresh token is spent once) and a BroadcastChannel tells the others what happened.
 */
export function connectTabs(channelName: string, onMessage: (message: TabMessage) => void): { lock?: RefreshLock, post: (message: TabMessage) => void } {
  if (import.meta.server)
    return { post: () => {} }
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : undefined
  if (channel)
    channel.onmessage = event => onMessage(event.data)
  const locks = navigator.locks
  return {
    lock: locks ? <T>(task: () => Promise<T>) => locks.request(channelName, task) as Promise<T> : undefined,
    post: message => channel?.postMessage(message),
  }
}
