import { createServer } from 'node:http'
import { toNodeListener } from 'h3'
import { createMockCms } from '../../test/mock-cms'

// The mock CMS in its own process, so it does not share an event loop with the load generator.
const mock = createMockCms()
// Requests are recorded for tests; a benchmark would only grow that list.
mock.state.requests.push = () => 0
const server = createServer({ keepAliveTimeout: 60_000 }, toNodeListener(mock.app))
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'))
