import { loadNuxt } from '@nuxt/kit'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../utils/fixtures'

const contact = { preset: 'microcms', auth: 'static', baseURL: 'https://svc.microcms.io/api/v1', token: 'write-key', proxy: true }

// Loading a real Nuxt app runs the module and initialises Nitro, where the check lives.
function load(overrides: Record<string, unknown>) {
  return loadNuxt({ cwd: fixtureDir('bare'), ready: true, overrides: { cmsAuth: { apis: { contact } }, ...overrides } as never })
}

describe('proxy checks that need a loaded Nuxt app', () => {
  it.each([
    ['nuxt generate', { _generate: true }],
    ['nitro.static', { nitro: { static: true } }],
    ['a static Nitro preset', { nitro: { preset: 'github-pages' } }],
  ])('stops a build without a server (%s) with an explanation', async (_name, overrides) => {
    await expect(load(overrides)).rejects.toThrow(/cmsAuth\.apis\.contact uses proxy mode, but this build has no server.*a static site sends every value it has to the browser/)
  })

  it('says use, not uses, when several APIs need the server', async () => {
    const apis = { contact, inquiry: { ...contact, token: 'other-key' } }
    await expect(loadNuxt({ cwd: fixtureDir('bare'), ready: true, overrides: { cmsAuth: { apis }, _generate: true } as never }))
      .rejects
      .toThrow(/^.*cmsAuth\.apis\.contact, cmsAuth\.apis\.inquiry use proxy mode, but this build has no server/)
  })

  it('refuses a storage mount name Nitro cannot use', async () => {
    await expect(loadNuxt({ cwd: fixtureDir('bare'), ready: true, overrides: { cmsAuth: { apis: { contact }, storage: 'cms auth/' } } as never }))
      .rejects
      .toThrow(/cmsAuth\.storage must be the name of a Nitro storage mount/)
  })

  it('loads with a server (the control)', async () => {
    const nuxt = await load({})
    try {
      expect((nuxt.options.runtimeConfig.public.cmsAuth as any).apis.contact).toEqual({ mode: 'proxy', baseURL: '/api/_cms/contact', auth: 'none', credential: { header: 'X-MICROCMS-API-KEY' } })
      expect((nuxt.options.runtimeConfig as any).cmsAuth.apis.contact).toMatchObject({ baseURL: 'https://svc.microcms.io/api/v1', token: 'write-key', proxy: { allowedIps: [], rateLimit: false } })
    }
    finally {
      await nuxt.close()
    }
  })
})
