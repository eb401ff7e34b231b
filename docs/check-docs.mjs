// Checks what `vitepress build` does not (it fails on a link to a missing page, which stays on):
// - every relative link in README.md and docs/**/*.md points at a file of the repository, and its
//   #anchor at a heading there, as GitHub renders it;
// - every link of a docs page works on the built site too, anchors included (ids of the built HTML);
// - every repository path written as code in prose exists;
// - every `<<< @/… #region` include names a region the source file has: VitePress would silently
//   include the whole file instead.
// Run after `vitepress build docs` (npm run docs:build does both).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const docs = dirname(fileURLToPath(import.meta.url))
const root = resolve(docs, '..')
const dist = join(docs, '.vitepress/dist')
const problems = []

if (!existsSync(join(dist, 'index.html'))) {
  console.error('check-docs: docs/.vitepress/dist has no site: run vitepress build docs first (npm run docs:build does)')
  process.exit(1)
}

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || entry.name === 'node_modules')
      return []
    const path = join(dir, entry.name)
    return entry.isDirectory() ? markdownFiles(path) : entry.name.endsWith('.md') ? [path] : []
  })
}

/** The text outside fenced code blocks, line by line (fence lines blanked, so line numbers hold). */
function proseLines(text) {
  let fence = null
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
    if (marker && (!fence || marker.startsWith(fence))) {
      fence = fence ? null : marker
      return ''
    }
    return fence ? '' : line
  })
}

// GitHub's heading ids (github-slugger): lower case, punctuation dropped, spaces to hyphens.
function githubSlug(heading) {
  return heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
}

function headingText(line) {
  return line.replace(/^#+\s+/, '').replace(/\s+#+\s*$/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '').replace(/\*\*|__/g, '').trim()
}

const githubAnchors = new Map()
function githubAnchorsOf(file) {
  if (!githubAnchors.has(file)) {
    const seen = new Map()
    const anchors = new Set()
    for (const line of proseLines(readFileSync(file, 'utf8'))) {
      if (!/^#{1,6}\s/.test(line))
        continue
      const slug = githubSlug(headingText(line))
      const count = seen.get(slug) ?? 0
      seen.set(slug, count + 1)
      anchors.add(count ? `${slug}-${count}` : slug)
    }
    githubAnchors.set(file, anchors)
  }
  return githubAnchors.get(file)
}

const siteAnchors = new Map()
function siteAnchorsOf(html) {
  if (!siteAnchors.has(html))
    siteAnchors.set(html, new Set([...readFileSync(html, 'utf8').matchAll(/\sid="([^"]+)"/g)].map(match => match[1])))
  return siteAnchors.get(html)
}

/** The built page of a docs markdown file. */
function builtPage(file) {
  return join(dist, relative(docs, file).replace(/\.md$/, '.html'))
}

function links(line) {
  const withoutCode = line.replace(/`[^`]*`/g, '')
  return [...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(match => match[1])
}

function checkLink(file, lineNumber, target) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target))
    return // http:, https:, mailto:
  const where = `${relative(root, file)}:${lineNumber}`
  const [path, anchor] = target.split('#')
  const inDocs = !relative(docs, file).startsWith('..')
  // On GitHub a leading `/` is the repository root; on the site it is docs/.
  const repoTarget = path === '' ? file : path.startsWith('/') ? join(root, path) : resolve(dirname(file), path)
  if (!existsSync(repoTarget)) {
    problems.push(`${where}: ${target} points at ${relative(root, repoTarget)}, which does not exist`)
    return
  }
  if (anchor && repoTarget.endsWith('.md') && !githubAnchorsOf(repoTarget).has(anchor))
    problems.push(`${where}: ${target}: no heading #${anchor} in ${relative(root, repoTarget)} (as GitHub names headings)`)
  if (!inDocs)
    return
  const siteTarget = path === '' ? file : path.startsWith('/') ? join(docs, path) : repoTarget
  if (relative(docs, siteTarget).startsWith('..') || !existsSync(siteTarget)) {
    problems.push(`${where}: ${target} is outside the site: link a page of docs/, a root-relative path docs/ serves too, or write the path as code`)
    return
  }
  if (siteTarget.endsWith('.md') && anchor) {
    const html = builtPage(siteTarget)
    if (!existsSync(html))
      problems.push(`${where}: ${target}: the site has no ${relative(docs, html)}`)
    else if (!siteAnchorsOf(html).has(anchor))
      problems.push(`${where}: ${target}: no #${anchor} on the built page ${relative(docs, html)}`)
  }
}

function checkIncludes(file, lineNumber, line) {
  const where = `${relative(root, file)}:${lineNumber}`
  const snippet = /^<<<\s+([^\s#{]+)(?:#([\w*-]+))?(?:\{[^}]*\})?$/.exec(line.trim())
  if (snippet) {
    const source = snippet[1].startsWith('@/') ? join(docs, snippet[1].slice(2)) : resolve(dirname(file), snippet[1])
    if (!existsSync(source) || !statSync(source).isFile()) {
      problems.push(`${where}: snippet ${snippet[1]} does not exist`)
      return
    }
    const region = snippet[2]
    if (region) {
      const text = readFileSync(source, 'utf8')
      for (const marker of [`// #region ${region}`, `// #endregion ${region}`]) {
        const count = text.split('\n').filter(sourceLine => sourceLine.trim() === marker).length
        if (count !== 1)
          problems.push(`${where}: ${relative(root, source)} has ${count} "${marker}" lines (needs exactly 1)`)
      }
    }
  }
  for (const include of line.matchAll(/<!--\s*@include:\s*([^\s>]+)\s*-->/g)) {
    const source = include[1].startsWith('@/') ? join(docs, include[1].slice(2)) : resolve(dirname(file), include[1])
    if (!existsSync(source))
      problems.push(`${where}: include ${include[1]} does not exist`)
  }
}

/** A path git ignores (`test/nuxt3/fixtures/`) is made by a command, so a fresh clone lacks it. */
function gitIgnored(path) {
  try {
    execFileSync('git', ['check-ignore', '-q', path], { cwd: root })
    return true
  }
  catch {
    return false
  }
}

// A repository path written as code (`src/runtime/types.ts`, `test/fixtures/proxy/`) must exist, so
// a moved file is noticed here; patterns (`*`, `<name>`) are not paths.
function checkCodePaths(file, lineNumber, line) {
  for (const [, path] of line.matchAll(/`((?:src|test|bench|playground|scripts|docs)\/[\w./-]+)`/g)) {
    if (!existsSync(join(root, path)) && !gitIgnored(path))
      problems.push(`${relative(root, file)}:${lineNumber}: \`${path}\` does not exist in the repository`)
  }
}

const files = [join(root, 'README.md'), ...markdownFiles(docs)]
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  // Includes may sit inside a ::: details container, never inside a fence.
  text.split('\n').forEach((line, index) => checkIncludes(file, index + 1, line))
  proseLines(text).forEach((line, index) => {
    links(line).forEach(target => checkLink(file, index + 1, target))
    checkCodePaths(file, index + 1, line)
  })
}

if (problems.length) {
  console.error(`check-docs: ${problems.length} problem(s)\n${problems.map(problem => `  ${problem}`).join('\n')}`)
  process.exit(1)
}
console.log(`check-docs: ${files.length} files, links, anchors and region includes all resolve`)
