import { describe, expect, it } from 'vitest'
import { protocolsModule } from '../../../src/config/register-dynamic'
import { resolveApis } from '../../../src/config/resolve-apis'
import { presetNames, presets } from '../../../src/runtime/core/presets'

const resolve = (path: string) => `/module${path.slice(1)}`

describe('the generated protocols module', () => {
  it('imports only the login flows and token storages the dynamic APIs use', () => {
    const apis = resolveApis({
      member: { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://a.example' },
      staff: { preset: 'directus', auth: 'dynamic', baseURL: 'https://b.example', dynamic: { storage: '/app/token-storage' } },
      api: { preset: 'generic', auth: 'dynamic', baseURL: 'https://c.example', dynamic: { fields: { accessToken: '/jwt' } } },
      news: { preset: 'microcms', auth: 'static', baseURL: 'https://d.example', token: 't' },
    }, { production: false, warn: () => {} })
    const source = protocolsModule(apis.filter(api => api.dynamic), resolve)
    expect(source).toBe([
      'import { kurocoProtocol } from "/module/runtime/core/presets/kuroco"',
      'import { cookieStorage } from "/module/runtime/app/dynamic/token-storage"',
      'import { directusProtocol } from "/module/runtime/core/presets/directus"',
      'import storage1 from "/app/token-storage"',
      'import { genericProtocol } from "/module/runtime/core/presets/generic"',
      'export const protocols = { "member": kurocoProtocol, "staff": directusProtocol, "api": genericProtocol({"accessToken":"/jwt"}) }',
      'export const storages = { "member": cookieStorage, "staff": storage1, "api": cookieStorage }',
      '',
    ].join('\n'))
    expect(source).not.toContain('microcms')
    expect(source).not.toContain('memoryStorage')
  })

  it('imports the memory storage for an API that keeps its tokens in memory', () => {
    const apis = resolveApis({ member: { preset: 'kuroco', auth: 'dynamic', baseURL: 'https://a.example', dynamic: { storage: 'memory' } } }, { production: false, warn: () => {} })
    const source = protocolsModule(apis, resolve)
    expect(source).toContain('import { memoryStorage } from "/module/runtime/app/dynamic/token-storage"')
    expect(source).toContain('export const storages = { "member": memoryStorage }')
    expect(source).not.toContain('cookieStorage')
  })

  it('finds the export it imports in every preset with a login flow: the preset\'s own protocol', async () => {
    for (const name of presetNames.filter(name => presets[name].dynamic && name !== 'generic')) {
      const module = await import(`../../../src/runtime/core/presets/${name}.ts`) as Record<string, unknown>
      expect(module[`${name}Protocol`], name).toBe(presets[name].dynamic)
    }
  })

  it('builds the generic preset\'s protocol without fields too', () => {
    const apis = resolveApis({ api: { preset: 'generic', auth: 'dynamic', baseURL: 'https://c.example' } }, { production: false, warn: () => {} })
    expect(protocolsModule(apis, resolve)).toContain('export const protocols = { "api": genericProtocol(')
  })
})
