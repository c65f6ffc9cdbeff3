import { defineConfig } from "vite";

// The browser build for the accessibility check: the real UI plus
// a11y/mock.ts, which answers the Tauri commands with synthetic data.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist-mock",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: { input: "a11y/mock.html" },
  },
});
