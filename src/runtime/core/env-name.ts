/**
 * The env variable Nuxt reads for a runtimeConfig path: `['public', 'cmsAuth', 'apis', 'news',
 * 'token']` → `NUXT_PUBLIC_CMS_AUTH_APIS_NEWS_TOKEN`. Nitro joins the path with `_` and snake-cases
 * it with scule; this repeats scule's word splitting for what our paths hold (letters, digits, `_`),
 * small enough for the browser, so an error there can name the exact variable too.
 */
export function nuxtEnvName(path: string[]): string {
  const words: string[] = []
  let word = ''
  let upperBefore: boolean | undefined
  for (const char of path.join('_')) {
    if (char === '_') {
      words.push(word)
      word = ''
      upperBefore = undefined
      continue
    }
    const upper = /\d/.test(char) ? undefined : char !== char.toLowerCase()
    // aB → a_B; ABc → A_Bc (an acronym ends before the capital that starts a word)
    if (upperBefore === false && upper === true) {
      words.push(word)
      word = ''
    }
    else if (upperBefore === true && upper === false && word.length > 1) {
      words.push(word.slice(0, -1))
      word = word.slice(-1)
    }
    word += char
    upperBefore = upper
  }
  return `NUXT_${[...words, word].join('_').toUpperCase()}`
}
