import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadNuxt } from '@nuxt/kit'
import { fetch as fetchPage, setup, useTestContext } from '@nuxt/test-utils/e2e'
import { describe, expect, it } from 'vitest'
import { fixtureDir } from '../utils/fixtures'

// A production build of the proxy fixture: the DevTools tab, its route, its Nitro plugin and its
// browser plugin exist in `nuxi dev` only.
await setup({ rootDir: fixtureDir('proxy'), server: true, browser: false })

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter(entry => entry.isFile() && /\.(?:m?js|json|html)$/.test(entry.name)).map(entry => join(entry.parentPath, entry.name))
}

async function customTabs(dev: boolean): Promise<{ name: string, view: unknown }[]> {
  const nuxt = await loadNuxt({ cwd: fixtureDir('proxy'), dev, ready: true, overrides: { devtools: { enabled: true } } })
  try {
    const tabs: { name: string, view: unknown }[] = []
    await nuxt.callHook('devtools:customTabs', tabs as never)
    return tabs.filter(tab => tab.name === 'cms-auth')
  }
  finally {
    await nuxt.close()
  }
}

describe('DevTools tab', () => {
  it('is registered in dev, as an iframe of the dev route', async () => {
    expect(await customTabs(true)).toEqual([expect.objectContaining({ name: 'cms-auth', view: { type: 'iframe', src: '/_cms-auth/devtools' } })])
  })

  it('is not registered for a build', async () => {
    expect(await customTabs(false)).toEqual([])
  })
})

describe('DevTools in a production build', () => {
  it('has no DevTools route', async () => {
    expect((await fetchPage('/_cms-auth/devtools/state')).status).toBe(404)
    expect((await fetchPage('/_cms-auth/devtools')).status).toBe(404)
  })

  it('ships none of the DevTools code, on the server or in the browser', async () => {
    const output = useTestContext().nuxt!.options.nitro.output!.dir!
    const files = await filesUnder(output)
    expect(files.some(file => file.includes('/public/'))).toBe(true)
    for (const file of files) {
      const text = await readFile(file, 'utf8')
      expect.soft(text, file).not.toContain('_cms-auth/devtools')
      expect.soft(text, file).not.toContain('devtools-reporter')
    }
  })
})
