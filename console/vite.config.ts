// The console's build (`npm run build:console`, run by `npm ci` through `prepare`): static files in
// console/dist that `kupe server` serves at `/` under a strict Content-Security-Policy, so the
// output must hold no inline script (decision 0026).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

/** Writes .br and .gz beside every emitted asset, which the server sends as they are (preCompressed). */
function precompress(): Plugin {
  return {
    name: 'kupe-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue
        const file = join(options.dir ?? '', name)
        const bytes = readFileSync(file)
        writeFileSync(`${file}.br`, brotliCompressSync(bytes))
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }))
      }
    },
  }
}

// Vite reads the config file's default export (the tool's contract, not ours).
// eslint-disable-next-line no-restricted-syntax
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill would be an inline script; every browser the console targets has modulepreload.
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    // Brotli at its best level is most of the build's time, on purpose.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/console': 'http://127.0.0.1:8080' } },
})
