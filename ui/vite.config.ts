import { defineConfig } from "vite";

// Tauri's mobile dev mode (`tauri android dev`) serves the UI to the
// device over the network: it sets TAURI_DEV_HOST to this machine's address.
const host = process.env.TAURI_DEV_HOST;

// Everything is served by the app itself: no CDN, relative asset paths.
export default defineConfig({
  base: "./",
  clearScreen: false,
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    hmr: host ? { protocol: "ws", host, port: 1421 } : undefined,
  },
});
