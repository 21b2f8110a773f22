import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard builds into web/dist, which the Express server serves. `npm run dev:web`
 * serves it with hot reload and proxies the API to a running `npm start` (PORT 4000).
 */
const api = `http://127.0.0.1:${process.env.PORT ?? '4000'}`;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // The chart library is shared by every view; one long-cached chunk.
        manualChunks: (id) =>
          /node_modules\/(echarts|zrender)\//.test(id) ? 'echarts' : undefined,
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/graphql': api, '/auth': api, '/api': api, '/healthz': api },
  },
});
