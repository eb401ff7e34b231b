import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listenMockCms } from '../mock-cms/listen'
import { members } from '../mock-cms/members'
import { mockTokens } from '../mock-cms/tokens'
import { chromiumLaunch } from '../utils/chromium'
import { startListening, stopProcess } from '../utils/processes'
import { freePort } from '../utils/raw-http'
import type { FreshApp } from './fresh-app'
import { createFreshApp, packModule, run } from './fresh-app'

// What a user gets: the module packed as `npm publish` would upload it, installed into a new app
// outside the repo with the newest Nuxt 4 and Nuxt 3 the registry serves (no lockfile), built
// once per major with one API of every mode (test/fixtures/tarball), started, and checked page
// by page against the mock CMS.
const cms = await listenMockCms()
const packed = await packModule()
const member = members[0]!
const majors = [
  { label: 'nuxt4', range: '^4', major: '4' },
  { label: 'nuxt3', range: '^3', major: '3' },
]
// Resolving a tree is mostly waiting on the registry: both majors at once.
const freshApps = Object.fromEntries(majors.map(({ label, range }) => [label, createFreshApp(packed.file, range, label)]))
for (const app of Object.values(freshApps))
  app.catch(() => {}) // reported by the app's own beforeAll

/** The built server's runtime configuration: the mock CMS for every API, the keys, the session password. */
const serverEnv = {
  NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_BASE_URL: `${cms.url}/kuroco/rcms-api/1`,
  NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN: mockTokens.kuroco,
  NUXT_CMS_AUTH_APIS_BLOG_BASE_URL: `${cms.url}/microcms/api/v1`,
  NUXT_CMS_AUTH_APIS_BLOG_TOKEN: mockTokens.microcms,
  NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_BASE_URL: `${cms.url}/kuroco/rcms-api/3`,
  NUXT_CMS_AUTH_APIS_MEMBER_SERVER_BASE_URL: `${cms.url}/kuroco/rcms-api/3`,
  NUXT_PUBLIC_CMS_AUTH_APIS_MEMBER_DIRECT_BASE_URL: `${cms.url}/kuroco/rcms-api/6`,
  NUXT_CMS_AUTH_APIS_MEMBER_COOKIE_BASE_URL: `${cms.url}/kuroco/rcms-api/4`,
  NUXT_CMS_AUTH_SESSION_PASSWORD: randomBytes(32).toString('base64url'),
}

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunch)
})
afterAll(async () => {
  await browser?.close()
  await cms.close()
  await rm(dirname(packed.file), { recursive: true, force: true })
})

describe('the packed tarball', () => {
  it('holds the built module, its runtime and types, README, LICENSE and package.json, and nothing else', async () => {
    expect(packed.files.filter(path => !path.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(path))).toEqual([])
    expect(packed.files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/module.mjs', 'dist/types.d.mts', 'dist/runtime/app/dynamic/plugin.js', 'dist/runtime/server/proxy/proxy-handler.js', 'dist/runtime/app/preview/CmsPreviewBanner.vue']))
    expect(packed.files.filter(path => path.endsWith('.ts') && !path.endsWith('.d.ts') && !path.endsWith('.d.mts') && !path.endsWith('.d.vue.ts'))).toEqual([])
    // A stub would load src/ through jiti from the packer's machine.
    const entry = await run('tar', ['-xzOf', packed.file, 'package/dist/module.mjs'], process.cwd())
    expect(entry).not.toMatch(/jiti|\/src\/module/)
    expect(entry).toContain('defineNuxtModule')
  })

  it('runs no script of ours when a user installs it', async () => {
    const { scripts = {} } = JSON.parse(await run('tar', ['-xzOf', packed.file, 'package/package.json'], process.cwd())) as { scripts?: Record<string, string> }
    expect(Object.keys(scripts).filter(name => ['preinstall', 'install', 'postinstall', 'prepare'].includes(name))).toEqual([])
  })
})

describe.each(majors)('a fresh Nuxt $major app that installs the tarball', ({ label, major }) => {
  let app: FreshApp | undefined
  let server: ChildProcess | undefined
  let base = ''
  beforeAll(async () => {
    app = await freshApps[label]!
    const start = Date.now()
    await run(join(app.dir, 'node_modules/.bin/nuxi'), ['build'], app.dir)
    console.info(`[tarball] ${label}: nuxi build: ${((Date.now() - start) / 1000).toFixed(1)} s`)
    const port = await freePort()
    server = await startListening(process.execPath, [join(app.dir, '.output/server/index.mjs')], port, { env: { ...process.env, ...serverEnv, PORT: String(port), HOST: '127.0.0.1' } })
    base = `http://127.0.0.1:${port}`
  })
  afterAll(async () => {
    await stopProcess(server)
    await app?.dispose()
  })

  it(`runs on Nuxt ${major}, with exactly the files of the tarball as nuxt-cms-auth`, async () => {
    expect(app!.versions.nuxt.split('.')[0]).toBe(major)
    const installed = join(app!.dir, 'node_modules/nuxt-cms-auth')
    const files = (await readdir(installed, { recursive: true, withFileTypes: true })).filter(entry => entry.isFile()).map(entry => relative(installed, join(entry.parentPath, entry.name)))
    // Dependencies npm could not hoist (the module's own @nuxt/kit 4 beside Nuxt 3's) nest below it.
    expect(files.filter(file => !file.startsWith('node_modules/')).sort()).toEqual([...packed.files].sort())
  })

  it('static, direct: renders Kuroco news fetched with the public token', async () => {
    const html = await (await fetch(`${base}/static-direct`)).text()
    expect(html).toContain('Kuroco static token reached the CMS')
  })

  it('static, proxy: renders microCMS posts through the proxy route, and the key stays on the server', async () => {
    const html = await (await fetch(`${base}/static-proxy`)).text()
    expect(html).toContain('microCMS API key sent as X-MICROCMS-API-KEY')
    expect(html).not.toContain(mockTokens.microcms)
    const response = await fetch(`${base}/api/_cms/blog/blogs`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ totalCount: 2 })
  })

  it.each([
    ['dynamic, direct', '/dynamic-direct', `Members-only news for ${member.name}`],
    ['server-held session (dynamic, proxy)', '/session', `Members-only news for ${member.name}`],
    ['cookie, direct', '/cookie-direct', `Direct-cookie news for ${member.name}`],
    ['cookie, proxy', '/cookie-proxy', `Cookie-session news for ${member.name}`],
  ])('%s: logs in in the browser, and a reload is rendered by the server logged in', async (_mode, path, content) => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${base}${path}`)
      await page.waitForSelector('main[data-hydrated=true]')
      await page.fill('#email', member.email)
      await page.fill('#password', member.password)
      await page.click('#submit')
      await page.waitForSelector(`li:has-text("${content}")`)
      const html = await (await page.reload())!.text()
      expect(html).toContain(content)
      expect(html).toMatch(/<p id="status">\s*logged-in\s*<\/p>/)
    }
    finally {
      await context.close()
    }
  })
})
