/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/*_test.*", "**/.*"],
  serverBuildPath: "build/index.js",
  serverPlatform: "neutral",
  serverConditions: ["deno", "worker"],
  serverDependenciesToBundle: "all",
  serverModuleFormat: "esm",
  serverMainFields: ["module", "main"],
  serverMinify: false,
  assetsBuildDirectory: "public/build",
  publicPath: "/build/",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
  },
};
