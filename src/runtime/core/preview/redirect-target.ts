// Any origin works: it only lets the URL parser resolve a path the way a browser would.
const PLACEHOLDER_ORIGIN = 'http://cms-auth.invalid'

/**
 * The path a preview link may send the editor to: a path of this site, as given, or `undefined`.
 * Refused: anything a browser would read as another origin (`//evil`, `/\evil`, `https://…`,
 * `javascript:`), backslashes and control characters anywhere (browsers turn `\` into `/` and drop
 * tabs and newlines, so `/\t/evil` is `//evil`), and paths that leave the app's base.
 */
export function safeRedirectTarget(to: unknown, appBase = '/'): string | undefined {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.length > 2048)
    return undefined
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001F\u007F]/.test(to))
    return undefined
  let url: URL
  try {
    url = new URL(to, PLACEHOLDER_ORIGIN)
  }
  catch {
    return undefined
  }
  if (url.origin !== PLACEHOLDER_ORIGIN)
    return undefined
  const base = appBase.endsWith('/') ? appBase : `${appBase}/`
  if (!`${url.pathname}/`.startsWith(base))
    return undefined
  return to
}
