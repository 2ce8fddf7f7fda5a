import { defineConfig } from '@playwright/test';

// E2E_PORT lets two browser runs share a machine (each server gets its own data folder)
const port = Number(process.env.E2E_PORT ?? 3199);
process.env.E2E_PORT = String(port);

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
    baseURL: `http://localhost:${port}`,
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
    url: `http://localhost:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
  },
});
