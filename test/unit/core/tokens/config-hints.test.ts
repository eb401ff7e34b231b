import { describe, expect, it, vi } from 'vitest'
import { presets } from '../../../../src/runtime/core/presets'
import { serializeTokenCookie } from '../../../../src/runtime/core/tokens/token-cookie'
import { requestLogin } from '../../../../src/runtime/core/tokens/token-flows'
import type { TokenFlowContext } from '../../../../src/runtime/core/tokens/token-flows'

// What a production browser build loads instead of core/features.ts (config/register-features.ts):
// no hints. Everything else as written.
vi.mock('../../../../src/runtime/core/features', async original => ({ ...await original<object>(), configHints: false }))

const cookie = { name: 'cms_auth_member', path: '/', sameSite: 'lax' as const }

describe('error messages of a production browser build (configHints off)', () => {
  it('still say what failed and with which values, without the hint of which option to change', () => {
    let message = ''
    try {
      serializeTokenCookie(cookie, { accessToken: 'x'.repeat(5000) }, { secure: false })
    }
    catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^\[nuxt-cms-auth\] the token cookie "cms_auth_member" would be \d{4} bytes, more than browsers keep$/)
  })

  it('name the step that found no token, and the missing credentials', async () => {
    const protocol = presets.kuroco.dynamic!
    const context: TokenFlowContext = { protocol, endpoints: protocol.endpoints, send: async () => ({ status: 200, body: {}, header: () => null }) }
    await expect(requestLogin(context, { email: 'a', password: 'b' })).rejects.toThrow(/^\[nuxt-cms-auth\] login response holds no access token$/)
    const noAnonymous = presets.directus.dynamic!
    await expect(requestLogin({ ...context, protocol: noAnonymous, endpoints: noAnonymous.endpoints })).rejects.toThrow(/^\[nuxt-cms-auth\] login\(\) needs credentials$/)
  })
})
