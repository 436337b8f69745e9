import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Root is web/ whichever directory vite is started from, so
// `npx vite build --config web/vite.config.ts` works from the repository root.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => ({
  root,
  base: '/',
  publicDir: 'public',
  plugins: [react()],
  // A production build is a production build even when started from a process whose NODE_ENV
  // says otherwise (vitest sets it to "test", which would otherwise ship React's development
  // build and the development JSX runtime).
  ...(mode === 'production'
    ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') }, oxc: { jsx: { development: false } } }
    : {}),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP allows no data: fonts and no inline scripts: keep every asset a file
    // and skip the modulepreload polyfill (every supported browser has modulepreload).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      treeshake: {
        // designsystemet-react's barrel imports every component for its side effects, which
        // pulls Combobox, floating-ui and more into the bundle. Its modules have none of their
        // own (the custom elements live in designsystemet-web, which stays side-effectful).
        moduleSideEffects: (id: string) => !id.includes('/@digdir/designsystemet-react/'),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/feed': 'http://localhost:3000',
    },
  },
  preview: {
    proxy: {
      '/api': 'http://localhost:3000',
    },
  },
}));
