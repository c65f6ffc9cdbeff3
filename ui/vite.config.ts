import { defineConfig } from "vite";

// Everything is served by the app itself: no CDN, relative asset paths.
export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { port: 1420, strictPort: true },
});
