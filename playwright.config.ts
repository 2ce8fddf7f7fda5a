import { defineConfig } from '@playwright/test';

/** Browser tests in real Chromium against a fresh server with the demo city (see e2e/serve.sh). */
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  // a hung run fails the suite instead of holding CI until its own limit
  globalTimeout: 15 * 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: 'http://localhost:3199',
    // what the page showed when a test failed, to read in test-results/
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'bash e2e/serve.sh',
    url: 'http://localhost:3199/api/health',
    timeout: 180_000,
    reuseExistingServer: false,
  },
});
