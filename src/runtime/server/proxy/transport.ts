import type { H3Event } from 'h3'
import { forwardInProcess, forwardWithFetch } from './forward-fetch'
import type { forwardWithNode } from './forward-node'
import { isStandInRequest } from './h3-request'
import type { ProxyApi } from './proxy-config'
import type { HeldResponse, HoldResponse, UpstreamRequest } from './upstream'

type Forward = (event: H3Event, api: ProxyApi, request: UpstreamRequest, hold?: HoldResponse) => Promise<HeldResponse | undefined>

let nodeForward: Promise<{ forwardWithNode: typeof forwardWithNode }> | undefined
let loadedNodeForward: typeof forwardWithNode | undefined

/**
 * The one seam between the proxy pipeline and the network. A request that came in on a real Node
 * socket goes out through `node:http` with keep-alive (forward-node.ts, loaded only then: the
 * fastest path on Node, measured in bench/proxy); every other request through web `fetch`
 * (forward-fetch.ts), which Bun, Deno, workerd and edge runtimes all have. A base URL this app
 * serves itself goes through Nitro's local fetch. Each sends the response itself, or hands it
 * back held when `hold` says so.
 */
export const forward: Forward = async (event, api, request, hold) => {
  if (!api.upstream)
    return forwardInProcess(event, api, request, hold)
  if (isStandInRequest(event))
    return forwardWithFetch(event, api, request, hold)
  if (loadedNodeForward)
    return loadedNodeForward(event, api, request, hold)
  // register-proxy.ts points this alias at forward-node.ts, or at a stub where the preset has no Node.
  // @ts-ignore: a Nitro alias, resolved at build time
  nodeForward ||= import('#cms-auth-node-forward')
  loadedNodeForward = (await nodeForward).forwardWithNode
  return loadedNodeForward(event, api, request, hold)
}
