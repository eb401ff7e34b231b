import { loadNuxt } from '@nuxt/kit'
import { describe, expect, it, vi } from 'vitest'
import { fixtureDir } from '../utils/fixtures'

// Module setup runs inside loadNuxt: these load a real Nuxt app, without building it.
function load(cmsAuth: unknown, dev = false) {
  return loadNuxt({ cwd: fixtureDir('bare'), dev, ready: true, overrides: { cmsAuth } as never })
}

describe('configuration mistakes stop the build with a message that names the key and the fix', () => {
  it.each([
    [{ apis: { news: { preset: 'kuroco', auth: 'static', token: 't' } } }, 'cmsAuth.apis.news.baseURL is missing'],
    [{ apis: { news: { preset: 'kurocco', baseURL: '/x' } } }, 'cmsAuth.apis.news.preset "kurocco" is unknown'],
    [{ apis: { 'news-feed': { baseURL: '/x' } } }, '"news-feed" is not a valid API name'],
    [{ apis: { news: { preset: 'kuroco', auth: 'static', baseURL: '/x' } } }, 'cmsAuth.apis.news.token is empty'],
    // Secrets a preset keeps on the server: a direct API with one is refused before anything is built.
    [{ apis: { blogAdmin: { preset: 'ghost', auth: 'static', baseURL: '/ghost/api/admin', tokenFromEnv: true, ghost: { api: 'admin' } } } }, 'cmsAuth.apis.blogAdmin needs proxy: true: an Admin API key can change the whole site'],
    [{ apis: { wp: { preset: 'wordpress', auth: 'static', baseURL: '/wp', tokenFromEnv: true } } }, 'cmsAuth.apis.wp needs proxy: true: an Application Password'],
    [{ apis: { spaces: { preset: 'storyblok', auth: 'static', baseURL: '/mapi/v1', tokenFromEnv: true, storyblok: { api: 'management' } } } }, 'cmsAuth.apis.spaces needs proxy: true: a Management API token'],
  ])('%j', async (cmsAuth, message) => {
    await expect(load(cmsAuth)).rejects.toThrow(message)
  })

  it('only warns about a missing static token in development, and still loads', async () => {
    const nuxt = await load({ apis: { news: { preset: 'kuroco', auth: 'static', baseURL: '/x' } } }, true)
    try {
      expect((nuxt.options.runtimeConfig.public.cmsAuth as any).apis.news).toMatchObject({ auth: 'static', token: '' })
    }
    finally {
      await nuxt.close()
    }
  })

  it('warns about a top-level key that is cmsAuth in another case, which the module never sees', async () => {
    const written: string[] = []
    const capture = (chunk: unknown) => written.push(String(chunk)) > 0
    const spies = [vi.spyOn(process.stderr, 'write').mockImplementation(capture), vi.spyOn(process.stdout, 'write').mockImplementation(capture)]
    try {
      const nuxt = await loadNuxt({ cwd: fixtureDir('bare'), ready: true, overrides: { cmsauth: { apis: { news: { baseURL: '/x' } } } } as never })
      await nuxt.close()
    }
    finally {
      spies.forEach(spy => spy.mockRestore())
    }
    expect(written.join('')).toContain('The Nuxt config has "cmsauth", which nuxt-cms-auth does not read: its key is cmsAuth')
  })
})
