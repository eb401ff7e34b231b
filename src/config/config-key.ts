/**
 * Warnings for top-level keys of the Nuxt config that are `cmsAuth` written another way
 * (`cmsauth`, `CmsAuth`, `cms_auth`): Nuxt hands the module nothing under them, so it would run
 * with no APIs and the app would fail later with `No API named …`.
 */
export function misspelledKeyWarnings(options: object): string[] {
  return Object.keys(options)
    .filter(key => key !== 'cmsAuth' && key.replace(/[-_]/g, '').toLowerCase() === 'cmsauth')
    .map(key => `The Nuxt config has "${key}", which nuxt-cms-auth does not read: its key is cmsAuth (so cmsAuth.apis is empty). Rename "${key}" to cmsAuth.`)
}
