import { spawn } from 'node:child_process'
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { connect } from 'node:net'

/** Starts a long-running process and resolves once `port` on 127.0.0.1 accepts connections. */
export async function startListening(command: string, args: string[], port: number, options: SpawnOptions = {}): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options })
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${command} exited with ${child.exitCode}: ${stderr}`)
    if (await canConnect(port))
      return child
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  child.kill()
  throw new Error(`${command} did not listen on ${port} within 30 s: ${stderr}`)
}

/** Stops a process started by `startListening` (by its own PID) and waits for it to exit. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null)
    return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
