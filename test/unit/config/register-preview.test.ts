import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as kit from '@nuxt/kit'
import { registerPreview } from '../../../src/config/register-preview'
import { registerProxy } from '../../../src/config/register-proxy'
import { resolveApis } from '../../../src/config/resolve-apis'
import type { ResolvedOptions } from '../../../src/config/options'

vi.mock('@nuxt/kit', () => ({
  addComponent: vi.fn(),
  addImports: vi.fn(),
  addPlugin: vi.fn(),
  addServerHandler: vi.fn(),
  addServerImports: vi.fn(),
  addServerPlugin: vi.fn(),
  addServerTemplate: vi.fn(),
  useLogger: () => ({ warn: vi.fn() }),
}))

const storyblok = { preset: 'storyblok', auth: 'static', baseURL: 'https://api.storyblok.com/v2/cdn', token: 'public' }
const hooks: Record<string, (arg: any) => void> = {}
const context = {
  nuxt: { options: { dev: false, runtimeConfig: { cmsAuth: {} } }, hook: (name: string, fn: (arg: any) => void) => (hooks[name] = fn) } as any,
  resolve: (path: string) => `/module${path.slice(1)}`,
  logger: { warn: vi.fn(), info: vi.fn() },
}
const options = (apis: Record<string, unknown>): ResolvedOptions => ({ apis: resolveApis(apis, { production: false, warn: () => {} }), proxyPrefix: '/api/_cms', storage: 'cms-auth', storageTimeout: 2000 })

beforeEach(() => vi.clearAllMocks())

describe('registerPreview', () => {
  it('registers nothing for an app without preview: no plugin, composable or component reaches its bundle', () => {
    registerPreview(options({ stories: storyblok }), context)
    for (const register of [kit.addPlugin, kit.addImports, kit.addComponent, kit.addServerHandler, kit.addServerPlugin, kit.addServerImports])
      expect(register).not.toHaveBeenCalled()
  })

  it('registers the routes, the Nitro plugin, the link util and the app side when an API has preview', () => {
    registerPreview(options({ stories: { ...storyblok, preview: true } }), context)
    expect(vi.mocked(kit.addServerHandler).mock.calls.map(([handler]) => handler.route)).toEqual(['/api/_cms/_preview', '/api/_cms/_preview/**'])
    expect(kit.addServerPlugin).toHaveBeenCalledWith('/module/runtime/server/preview/preview-plugin')
    expect(kit.addServerImports).toHaveBeenCalledWith([{ name: 'createCmsPreviewLink', from: '/module/runtime/server/utils/createCmsPreviewLink' }])
    expect(kit.addPlugin).toHaveBeenCalledWith('/module/runtime/app/preview/plugin')
    expect(kit.addComponent).toHaveBeenCalledWith({ name: 'CmsPreviewBanner', filePath: '/module/runtime/app/preview/CmsPreviewBanner.vue' })
  })
})

describe('registerProxy with preview', () => {
  const proxyOptions = () => JSON.parse(vi.mocked(kit.addServerTemplate).mock.calls[0]![0].getContents!().toString().replace(/^export default /, ''))

  it('gives a direct preview API a route for previews only, which sends no credential of its own', () => {
    registerProxy(options({ stories: { ...storyblok, preview: true }, news: { preset: 'kuroco', auth: 'static', baseURL: 'https://k.example', token: 't', proxy: true, preview: { maxAge: 60 } } }), context)
    expect(vi.mocked(kit.addServerHandler).mock.calls.map(([handler]) => handler.route)).toEqual(['/api/_cms/stories', '/api/_cms/stories/**', '/api/_cms/news', '/api/_cms/news/**'])
    const { apis } = proxyOptions()
    expect(apis.stories).toMatchObject({ mode: 'direct', auth: 'none', route: '/api/_cms/stories', preview: { preset: 'storyblok', only: true, maxAge: 3600, env: { token: 'NUXT_CMS_AUTH_APIS_STORIES_PREVIEW_TOKEN', secret: 'NUXT_CMS_AUTH_APIS_STORIES_PREVIEW_SECRET', baseURL: 'NUXT_CMS_AUTH_APIS_STORIES_PREVIEW_BASE_URL' } } })
    expect(apis.news).toMatchObject({ mode: 'proxy', auth: 'static', preview: { only: false, maxAge: 60 } })
  })

  it('refuses a static build: preview is a server route', () => {
    registerProxy(options({ stories: { ...storyblok, preview: true } }), context)
    expect(() => hooks['nitro:config']!({ static: true })).toThrow('cmsAuth.apis.stories has preview, but this build has no server')
  })
})
