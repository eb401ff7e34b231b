import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * `--json <file>` on any bench: its figures also go to that file, so `npm run bench` (bench/index.ts)
 * reads numbers rather than the tables printed for people.
 */
export function writeJsonFigures(figures: object, argv = process.argv): void {
  const flag = argv.indexOf('--json')
  if (flag === -1)
    return
  const file = argv[flag + 1]
  if (!file || file.startsWith('--'))
    throw new Error('--json needs a file path: --json bench/.results/proxy.json')
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`)
}
