import { $fetch } from 'ofetch'
import { attachCredential } from '../../src/runtime/core/client/credential'
import { presets } from '../../src/runtime/core/presets'
import type { PresetName } from '../../src/runtime/core/presets'
import { createTokenSession } from '../../src/runtime/core/tokens/token-session'
import type { SessionEvent, TokenStorage } from '../../src/runtime/core/tokens/token-session'
import type { Send, TokenSet } from '../../src/runtime/core/tokens/tokens'

/**
 * The module's token session run in Node against a real HTTP CMS (the mock): what the browser
 * plugin does, minus the browser. Used by the vendor flow tests and the refresh-storm bench.
 */
export function createNodeSession(preset: PresetName, baseURL: string, options: { marginMs?: number, headers?: Record<string, string> } = {}) {
  const protocol = presets[preset].dynamic!
  const credential = protocol.credential ?? presets[preset].credential
  const fetchRaw = (path: string, init: { method?: string, body?: unknown, token?: string }) => {
    // `headers`: what the API sends on every request (Supabase's `apikey` beside the login).
    const target = { headers: new Headers(options.headers), query: undefined as Record<string, unknown> | undefined }
    if (init.token)
      attachCredential(target, credential, init.token)
    return $fetch.raw(path, { baseURL, method: init.method as 'GET', body: init.body as Record<string, unknown>, ...target, ignoreResponseError: true, retry: 0 })
  }
  const send: Send = async request => fetchRaw(request.path, request).then(response => ({ status: response.status, body: response._data, header: name => response.headers.get(name) }))
  let tokens: TokenSet | null = null
  const storage: TokenStorage & { tokens: () => TokenSet | null } = { read: () => tokens, write: (next) => {
    tokens = next
  }, tokens: () => tokens }
  const events: SessionEvent[] = []
  const session = createTokenSession({ protocol, endpoints: protocol.endpoints, send, storage, marginMs: options.marginMs ?? 0, onEvent: e => events.push(e) })

  /** GET `path` as the logged-in user: refreshed, replayed once, renewed tokens taken over. */
  const get = (path: string) => session.call(async (token) => {
    const response = await fetchRaw(path, { method: 'GET', token })
    if (response.status >= 400)
      throw Object.assign(new Error(`${response.status}`), { status: response.status, data: response._data })
    const renewed = protocol.renewedToken?.({ status: response.status, body: response._data, header: name => response.headers.get(name) })
    if (renewed)
      session.renew(renewed)
    return response._data
  }, (error: any) => error?.status ? protocol.classify({ status: error.status, body: error.data }) : undefined)

  return { session, storage, events, get }
}
