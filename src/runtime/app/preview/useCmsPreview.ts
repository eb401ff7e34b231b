import { computed, navigateTo, reloadNuxtApp, useNuxtApp, useRoute } from '#imports'
import type { ComputedRef } from 'vue'
import { usePreviewApis } from './plugin'

export interface CmsPreview {
  /** Whether this browser is in preview (of any API). */
  enabled: ComputedRef<boolean>
  /** The APIs in preview. */
  apis: ComputedRef<readonly string[]>
  /** Opens a preview link (a path of this site, e.g. from `createCmsPreviewLink`): the server checks it. */
  enter: (link: string) => Promise<void>
  /** Leaves every preview and reloads the page with published content. */
  leave: () => Promise<void>
}

/** Preview mode in the app: `const { enabled, enter, leave } = useCmsPreview()`. */
export function useCmsPreview(): CmsPreview {
  const nuxtApp = useNuxtApp()
  const route = useRoute()
  const names = usePreviewApis()
  const leaveRoute = (nuxtApp.$config.public.cmsAuth as unknown as { previewRoute: string }).previewRoute
  return {
    enabled: computed(() => names.value.length > 0),
    apis: computed(() => names.value),
    // A full page load: the server sets the sealed cookie and renders the page with drafts.
    enter: async (link) => {
      await navigateTo(link, { external: true })
    },
    leave: async () => {
      await $fetch(leaveRoute, { baseURL: nuxtApp.$config.app.baseURL, method: 'DELETE' })
      // Every client and every rendered draft goes with the page.
      reloadNuxtApp({ path: route.fullPath, force: true })
    },
  }
}
