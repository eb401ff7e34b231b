import { describe, expect, it } from 'vitest'
import { protocolsModule } from '../../src/config/register-dynamic'
import { resolveApis } from '../../src/config/resolve-apis'

const resolve = (path: string) => `/module${path.slice(1)}`

describe('the generated protocols module', () => {
  it('imports only the presets the dynamic APIs use, and custom storages', () => {
    const apis = resolveApis({
      member: { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://a.example' },
      staff: { preset: 'directus', auth: 'dynamic', baseURL: 'https://b.example', dynamic: { storage: '/app/token-storage' } },
      api: { preset: 'generic', auth: 'dynamic', baseURL: 'https://c.example', dynamic: { fields: { accessToken: '/jwt' } } },
      news: { preset: 'microcms', auth: 'static', baseURL: 'https://d.example', token: 't' },
    }, { production: false, warn: () => {} })
    const source = protocolsModule(apis.filter(api => api.dynamic), resolve)
    expect(source).toBe([
      'import { kuroco } from "/module/runtime/core/presets/kuroco"',
      'import { directus } from "/module/runtime/core/presets/directus"',
      'import storage1 from "/app/token-storage"',
      'import { genericProtocol } from "/module/runtime/core/presets/generic"',
      'export const protocols = { "member": kuroco.dynamic, "staff": directus.dynamic, "api": genericProtocol({"accessToken":"/jwt"}) }',
      'export const storages = { "staff": storage1 }',
      '',
    ].join('\n'))
    expect(source).not.toContain('microcms')
  })
})
