import type { NuxtApp } from '#app'

/** Hooks run after the change that calls them (callHook is async): lets them run. */
export const flushHooks = () => new Promise(resolve => setTimeout(resolve, 0))

/**
 * Records every call of the `names` runtime hooks as [name, context], until `stop()`. The
 * module's sources do not see the app's generated hook types (types/cms-auth-dynamic.d.ts).
 */
export function recordHooks(nuxtApp: NuxtApp, names: string[]): { calls: [string, Record<string, unknown>][], stop: () => void } {
  const hook = nuxtApp.hook as (name: string, fn: (context: Record<string, unknown>) => void) => () => void
  const calls: [string, Record<string, unknown>][] = []
  const stops = names.map(name => hook(name, context => void calls.push([name, context])))
  return { calls, stop: () => stops.forEach(stop => stop()) }
}
