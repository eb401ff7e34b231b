// Generated at build time by src/config/register-proxy.ts: the static part of each proxy API.
declare module '#cms-auth-proxy-options' {
  import type { CmsAuthMode, CredentialPlacement, ProxyChecks } from '../types'

  export interface BuiltProxyOptions extends ProxyChecks {
    auth: CmsAuthMode
    credential: CredentialPlacement
    headers: Record<string, string>
    /** `NUXT_CMS_AUTH_APIS_<NAME>_TOKEN`, named in the error when a deployment forgot it. */
    tokenEnv: string
  }

  const options: { storage: string, apis: Record<string, BuiltProxyOptions> }
  export default options
}
