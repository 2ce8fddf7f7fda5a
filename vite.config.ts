import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The web app: sources in src/web, built into dist/web which the server serves. */
export default defineConfig({
  root: here('./src/web'),
  plugins: [react()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    // antd is one large library; it is split into its own cached chunk
    chunkSizeWarningLimit: 1800,
    rolldownOptions: {
      // the staff app, and the small public entry of the masses' pages (no antd: src/web/public-pages/)
      input: { main: here('./src/web/index.html'), public: here('./src/web/public.html') },
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/,
            },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|dayjs|@babel)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    // the API in development (a regex: the module /api.ts must not be proxied); NIUDAI_API_URL points elsewhere
    proxy: {
      '^/api/': { target: process.env.NIUDAI_API_URL ?? 'http://localhost:3000', changeOrigin: false },
    },
  },
});
