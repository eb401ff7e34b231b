import type { LaunchOptions } from 'playwright-core'

/**
 * Debian's Chromium (installed by .ci/run); Playwright cannot download browsers here. The flags
 * keep it off the network, which this machine does not have.
 */
export const chromiumLaunch: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}
