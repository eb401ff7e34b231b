import type { HookResult } from '@nuxt/schema'
import type { CmsAuthError } from '../../core/tokens/tokens'

interface HookContext {
  /** The API name in `cmsAuth.apis`. */
  api: string
  /** The change happened in another tab of this browser. */
  fromOtherTab?: boolean
}

/** Runtime hooks of every login API: `nuxtApp.hook('cms-auth:refresh', ({ api }) => …)`. */
export interface CmsAuthRuntimeHooks {
  'cms-auth:login': (context: HookContext) => HookResult
  /** `reason: 'rejected'` when the CMS ended the session (a refused refresh, an expired cookie session). */
  'cms-auth:logout': (context: HookContext & { reason?: 'user' | 'rejected' }) => HookResult
  'cms-auth:refresh': (context: HookContext) => HookResult
  /** A failed login or refresh, or a refresh the CMS rejected (followed by a logout). */
  'cms-auth:error': (context: HookContext & { error: CmsAuthError | unknown }) => HookResult
}
