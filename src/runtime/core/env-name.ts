/**
 * The env variable Nuxt reads for a runtimeConfig path: `['public', 'cmsAuth', 'apis', 'news',
 * 'token']` → `NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN`. Nitro joins the path with `_` and snake-cases
 * it with scule; for what our paths hold (letters, digits, `_`) scule splits a word before a capital
 * that follows a small letter (`aB`), and before a capital that starts a word after a capital or a
 * digit (`ABc`, `1Bc`). One regular expression, small enough for the browser, so an error there can
 * name the exact variable too.
 */
export function nuxtEnvName(path: string[]): string {
  return `NUXT_${path.join('_').replace(/([a-z](?=[A-Z])|[A-Z\d](?=[A-Z][a-z]))/g, '$1_').toUpperCase()}`
}
