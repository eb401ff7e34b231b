import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toNodeListener } from 'h3'
import type { MockCms } from './index'
import { createMockCms } from './index'

export interface RunningMockCms extends MockCms {
  url: string
  close: () => Promise<void>
}

/** Starts the mock CMS on 127.0.0.1 and a free port, for tests that need a real second host. */
export async function listenMockCms(...args: Parameters<typeof createMockCms>): Promise<RunningMockCms> {
  const mock = createMockCms(...args)
  const server = createServer(toNodeListener(mock.app))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    ...mock,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  }
}
