import { addImports, addPlugin, addRouteMiddleware, addTemplate, addTypeTemplate, resolveAlias } from '@nuxt/kit'
import type { Register } from './options'
import type { ResolvedApi } from './resolve-apis'

/**
 * Dynamic tokens (login → tokens → refresh): the plugin, the `cms-auth` middleware and typed hooks.
 * Registered only when an API uses `auth: 'dynamic'`, and the generated template
 * imports only the presets those APIs use, so a static-only app's bundle carries none of it.
 */
export const registerDynamic: Register = ({ apis }, { resolve }) => {
  // Types of the generated module, always: the plugin's source typechecks in any app.
  addTemplate({
    filename: 'cms-auth-dynamic.d.mts',
    getContents: () => [
      `import type { DynamicProtocol } from ${JSON.stringify(resolve('./runtime/core/presets/define'))}`,
      `import type { TokenStorageFactory } from ${JSON.stringify(resolve('./runtime/app/dynamic/token-storage'))}`,
      'export declare const protocols: Record<string, DynamicProtocol>',
      'export declare const storages: Record<string, TokenStorageFactory>',
    ].join('\n'),
  })
  // useCmsAuth and the middleware serve both kinds of login; the plugin is the browser-held kind's.
  const withLogin = apis.filter(api => api.dynamic || api.auth === 'cookie')
  const dynamic = withLogin.filter(api => api.mode === 'direct-dynamic')
  // Without a login API, a useCmsAuth that explains why it cannot help, rather than none at all.
  addImports({ name: 'useCmsAuth', from: resolve(withLogin.length ? './runtime/app/composables/useCmsAuth' : './runtime/app/composables/useCmsAuthWithoutLogin') })
  if (!withLogin.length)
    return

  if (dynamic.length) {
    addTemplate({ filename: 'cms-auth-dynamic.mjs', getContents: () => protocolsModule(dynamic, resolve) })
    addPlugin(resolve('./runtime/app/dynamic/plugin'))
  }
  addRouteMiddleware({ name: 'cms-auth', path: resolve('./runtime/app/login/middleware') })
  addTypeTemplate({
    filename: 'types/cms-auth-dynamic.d.ts',
    getContents: () => [
      `import type { CmsAuthRuntimeHooks } from ${JSON.stringify(resolve('./runtime/app/login/hooks'))}`,
      `declare module '#app' {`,
      `  interface RuntimeNuxtHooks extends CmsAuthRuntimeHooks {}`,
      `}`,
      `declare module 'vue-router' {`,
      `  interface RouteMeta {`,
      `    /** Which login API (auth 'dynamic' or 'cookie') the cms-auth middleware checks. */`,
      `    cmsAuth?: ${withLogin.map(api => JSON.stringify(api.name)).join(' | ')}`,
      `  }`,
      `}`,
      `export {}`,
      '',
    ].join('\n'),
  })
}

/** `#build/cms-auth-dynamic.mjs`: each dynamic API's protocol and token storage, nothing else. */
export function protocolsModule(apis: ResolvedApi[], resolve: (path: string) => string): string {
  const imports = new Set<string>()
  const protocols: string[] = []
  const storages: string[] = []
  for (const [index, api] of apis.entries()) {
    const fields = api.dynamic!.fields
    if (fields || api.preset === 'generic') {
      imports.add(`import { genericProtocol } from ${JSON.stringify(resolve('./runtime/core/presets/generic'))}`)
      protocols.push(`${JSON.stringify(api.name)}: genericProtocol(${JSON.stringify(fields ?? {})})`)
    }
    else {
      // The protocol alone, not the preset object around it (presets/define.ts).
      imports.add(`import { ${api.preset}Protocol } from ${JSON.stringify(resolve(`./runtime/core/presets/${api.preset}`))}`)
      protocols.push(`${JSON.stringify(api.name)}: ${api.preset}Protocol`)
    }
    // The storage too: a custom module, or the built-in one the API names (the bundle carries only those).
    if (api.dynamic!.storageModule) {
      imports.add(`import storage${index} from ${JSON.stringify(resolveAlias(api.dynamic!.storageModule))}`)
      storages.push(`${JSON.stringify(api.name)}: storage${index}`)
    }
    else {
      const storage = `${api.dynamic!.storage}Storage`
      imports.add(`import { ${storage} } from ${JSON.stringify(resolve('./runtime/app/dynamic/token-storage'))}`)
      storages.push(`${JSON.stringify(api.name)}: ${storage}`)
    }
  }
  return [...imports, `export const protocols = { ${protocols.join(', ')} }`, `export const storages = { ${storages.join(', ')} }`, ''].join('\n')
}
