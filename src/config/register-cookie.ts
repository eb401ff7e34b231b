import { addPlugin, addTemplate } from '@nuxt/kit'
import { presets } from '../runtime/core/presets'
import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'

/**
 * Direct cookie mode (`auth: 'cookie'`, no proxy): the small browser/SSR plugin and the presets'
 * user readers it needs. Nothing is registered when no API uses it; `useCmsAuth` and the
 * `cms-auth` middleware come from registerDynamic, which serves every kind of login.
 */
export const registerCookie: Register = ({ apis }, { resolve }) => {
  // Types of the generated module, always: the plugin's source typechecks in any app.
  addTemplate({ filename: 'cms-auth-cookie.d.mts', getContents: () => 'export declare const readUsers: Record<string, ((body: any) => unknown) | undefined>\n' })
  const direct = apis.filter(api => api.mode === 'direct-cookie')
  if (!direct.length)
    return
  addTemplate({ filename: 'cms-auth-cookie.mjs', getContents: () => readUsersModule(direct, resolve) })
  // Its APIs' clients and logins go to the app's registry (runtime/app/registry.ts): no plugin order matters.
  addPlugin(resolve('./runtime/app/cookie/plugin'))
}

/** `#build/cms-auth-cookie.mjs`: `readUser` of each API whose preset has one (Kuroco's user is the whole body). */
export function readUsersModule(apis: ResolvedApi[], resolve: (path: string) => string): string {
  const withReader = apis.filter(api => presets[api.preset].dynamic?.readUser)
  // The protocol alone, not the preset object around it (presets/define.ts).
  const imports = [...new Set(withReader.map(api => `import { ${api.preset}Protocol } from ${JSON.stringify(resolve(`./runtime/core/presets/${api.preset}`))}`))]
  const entries = withReader.map(api => `${JSON.stringify(api.name)}: ${api.preset}Protocol.readUser`)
  return [...imports, `export const readUsers = { ${entries.join(', ')} }`, ''].join('\n')
}
