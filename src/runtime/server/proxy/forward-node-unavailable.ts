/**
 * What `#cms-auth-node-forward` points at on presets without Node (workerd, edge runtimes): the
 * transport only takes the Node path for requests that arrived on a Node socket, which never
 * happens there, so `node:http` stays out of those bundles.
 */
export function forwardWithNode(): never {
  throw new Error('[nuxt-cms-auth] The Node transport is not part of this build (its preset has no Node runtime).')
}

export const holdWithNode = forwardWithNode
