/**
 * Client bundle cost of the module: builds the same minimal app without the module (bare), with
 * one static API, one dynamic API (login, refresh, cross-tab sync, middleware), one static API
 * behind the proxy, one server-held session and one direct cookie API, sums the gzip size of
 * `.output/public/_nuxt/*.js`, and prints what the module adds per mode.
 * Run: npm run bench:bundle [-- --json file] (a few minutes; each app is a full `nuxi build`).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { writeJsonFigures } from '../json-output'

const apps = fileURLToPath(new URL('./apps', import.meta.url))
const nuxi = fileURLToPath(new URL('../../node_modules/@nuxt/cli/bin/nuxi.mjs', import.meta.url))
// Budgets from the project brief: what the module may add to an app's JavaScript, gzip. Static
// ≤ 1 KiB; dynamic (login, refresh, cross-tab) ≤ 4 KiB. Direct cookie mode is a login mode too
// (login, logout, user, cross-tab) and keeps the 5 KiB it was given.
const budgets: Record<string, number> = { static: 1024, dynamic: 4 * 1024, cookie: 5 * 1024 }
const modes = ['static', 'dynamic', 'proxy', 'session', 'cookie']

function gzipTotal(app: string): { files: number, bytes: number } {
  const dir = join(apps, app, '.output/public/_nuxt')
  const scripts = readdirSync(dir).filter(file => file.endsWith('.js'))
  const bytes = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length, 0)
  return { files: scripts.length, bytes }
}

const results: Record<string, { files: number, bytes: number }> = {}
for (const app of ['bare', ...modes]) {
  process.stderr.write(`building ${app}…\n`)
  execFileSync(process.execPath, [nuxi, 'build', join(apps, app)], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NUXT_TELEMETRY_DISABLED: '1' } })
  results[app] = gzipTotal(app)
}

const base = results.bare!.bytes
console.log('\n| app | JS files | JS gzip bytes | added by the module | budget |')
console.log('| --- | ---: | ---: | ---: | ---: |')
for (const [app, { files, bytes }] of Object.entries(results)) {
  const added = app === 'bare' ? '' : `${bytes - base}`
  const budget = budgets[app] ? `${budgets[app]}${bytes - base > budgets[app]! ? ' (over)' : ''}` : ''
  console.log(`| ${app} | ${files} | ${bytes} | ${added} | ${budget} |`)
}

writeJsonFigures({
  bareBytes: base,
  modes: Object.fromEntries(modes.map(mode => [mode, { files: results[mode]!.files, bytes: results[mode]!.bytes, added: results[mode]!.bytes - base, budget: budgets[mode] ?? null }])),
})
