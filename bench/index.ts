/**
 * `npm run bench`: runs every benchmark one after the other (so they do not share the CPU), each
 * writing its figures with --json into bench/.results/, then writes bench/RESULTS.md from those
 * figures and a description of the machine. Their own tables still print as they go.
 * `npm run bench [-- --skip bundle,proxy,refresh]` reuses the last JSON of the skipped ones.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describeMachine, renderResults } from './results-markdown'
import type { BenchFigures } from './results-markdown'

const root = fileURLToPath(new URL('..', import.meta.url))
const jiti = `${root}node_modules/jiti/lib/jiti-cli.mjs`
const skipFlag = process.argv.indexOf('--skip')
const skipped = new Set(skipFlag === -1 ? [] : process.argv[skipFlag + 1]!.split(','))

const benches = {
  bundle: { script: 'bench/bundle-size/index.ts', args: [] },
  proxy: { script: 'bench/proxy/index.ts', args: ['--build', '--rounds', '3', '--seconds', '5', '--connections', '50'] },
  refresh: { script: 'bench/refresh-storm/index.ts', args: ['--repeat', '3'] },
} as const

const resultFile = (name: string) => `${root}bench/.results/${name}.json`
const machine = describeMachine(root)
const started = Date.now()
for (const [name, { script, args }] of Object.entries(benches)) {
  if (skipped.has(name))
    continue
  console.log(`\n=== ${name}: ${script} ${args.join(' ')}`)
  execFileSync(process.execPath, [jiti, `${root}${script}`, ...args, '--json', resultFile(name)], { cwd: root, stdio: 'inherit', env: { ...process.env, NUXT_TELEMETRY_DISABLED: '1' } })
}

const figures = Object.fromEntries(Object.keys(benches).map(name => [name, JSON.parse(readFileSync(resultFile(name), 'utf8'))])) as unknown as BenchFigures
const markdown = renderResults(figures, { ...machine, minutes: (Date.now() - started) / 60_000, skipped: [...skipped] })
writeFileSync(`${root}bench/RESULTS.md`, markdown)
console.log(`\nwrote bench/RESULTS.md`)
