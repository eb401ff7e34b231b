/**
 * How this module's own SSR calls to its proxy route identify themselves. They go through Nitro's
 * local fetch, which hands the request's `context` to the server as the request's fetch context
 * (`req.__unenv__`): a JavaScript value only code in this process can create. No header, address
 * or socket type is involved, so no visitor can claim to be one, and a visitor on a host that
 * hands requests in without a socket is still a visitor.
 */
const IN_PROCESS = /* @__PURE__ */ Symbol.for('nuxt-cms-auth.in-process')

// Pure: a browser bundle, which never marks a call, drops it.
const inProcessContext = /* @__PURE__ */ Object.freeze({ [IN_PROCESS]: true })

/** For `createCmsClient`'s attach hook on the server: marks a call to a proxy route as ours. */
export function markInProcess(options: object): void {
  // ofetch passes unknown options on to `fetch`; Nitro's local fetch reads `context`.
  (options as { context?: unknown }).context = inProcessContext
}

/** Whether a request's fetch context is the mark `markInProcess` set. */
export function isInProcessCall(fetchContext: unknown): boolean {
  return (fetchContext as Record<symbol, unknown> | undefined)?.[IN_PROCESS] === true
}
