import { classifyByStatus } from '../tokens/classify'
import type { DynamicProtocol } from './define'
import { definePreset } from './define'

/** The login flow (`auth: 'dynamic'`): the browser bundle imports this alone (define.ts). */
export const cockpitProtocol: DynamicProtocol = {
  credential: { header: 'Cockpit-Token' },
  endpoints: { login: '/api/cockpit/authUser' },
  loginBody: credentials => credentials,
  readTokens: ({ body }) => body?.api_key ? { accessToken: body.api_key } : undefined,
  // The user object carries the key itself: keep it out of the user state (and the payload).
  loginUser: ({ api_key: _key, ...user }: Record<string, unknown> = {}) => user,
  // 412 is Cockpit's "Authentication failed" for a bad key.
  classify: classifyByStatus([401, 412]),
}

/**
 * Cockpit v2: header `api-key`. Cockpit classic wants `Cockpit-Token` instead:
 * set `credential: { header: 'Cockpit-Token' }` on the API. Dynamic mode is Cockpit classic's
 * `authUser`: it answers the user, whose `api_key` is a per-user key that never expires.
 */
export const cockpit = definePreset({
  name: 'cockpit',
  credentialLabel: 'API key',
  credential: { header: 'api-key' },
  supports: ['none', 'static', 'dynamic'],
  dynamic: cockpitProtocol,
})
