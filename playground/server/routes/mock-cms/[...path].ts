import { useBase } from 'h3'
import { createMockCms } from '../../../../test/mock-cms'

// The mock CMS the playground talks to, served by the playground itself.
const mock = createMockCms()

export default useBase('/mock-cms', mock.app.handler)
