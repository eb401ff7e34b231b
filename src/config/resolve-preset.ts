import { presets } from '../runtime/core/presets'
import type { PresetSetup } from '../runtime/core/presets'
import type { CmsApiOptions, CmsAuthMode, PresetName } from '../runtime/types'
import { configError } from './errors'

/** The presets that take options of their own, each under `cmsAuth.apis.<name>.<preset name>`. */
export const presetOptionKeys = ['payload', 'pocketbase', 'storyblok', 'contentful', 'ghost'] as const satisfies readonly PresetName[]

/**
 * What the API's preset makes of its own options and of the API's mode (Payload's collection in
 * every path, Storyblok's Management API token in `Authorization`, …). Options meant for another
 * preset are a mistake, named as such.
 */
export function resolvePresetSetup(key: string, preset: PresetName, auth: CmsAuthMode, api: CmsApiOptions): PresetSetup {
  for (const option of presetOptionKeys) {
    if (option !== preset && api[option] !== undefined)
      throw configError(`${key}.${option} only applies to preset '${option}'; this API's preset is '${preset}'.`)
  }
  const setup = presets[preset].setup
  const options = (presetOptionKeys as readonly string[]).includes(preset) ? api[preset as typeof presetOptionKeys[number]] : undefined
  return setup ? setup({ key, options, auth, token: typeof api.token === 'string' ? api.token : '' }) : {}
}

/**
 * A direct API the preset refuses: a secret that must stay on the server (a Ghost Admin API key, a
 * Storyblok Management token, a Supabase secret key, a WordPress Application Password), or a mode
 * only the server can run (WordPress's cookie sessions).
 */
export function proxyRequiredError(key: string, name: string, setup: PresetSetup, proxyPrefix: string) {
  const route = `the browser then calls ${proxyPrefix}/${name}/…`
  return setup.serverOnly
    ? configError(`${key} needs proxy: true: ${setup.serverOnly}, so it must never reach a browser. Add proxy: true (${route} and the server adds the credential), or use a read-only key.`)
    : configError(`${key} needs proxy: true: ${setup.proxyOnly}. Add proxy: true (${route}).`)
}
