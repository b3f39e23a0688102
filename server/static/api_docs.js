// The interactive API reference on /api/docs: Swagger UI (served by the
// project from the swagger-ui-dist package) reading /api/openapi.json.
// A file of its own, not an inline script: the page's policy allows
// scripts from the site only.
globalThis.addEventListener("load", () => {
  const root = document.getElementById("api-docs");
  globalThis.ui = globalThis.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: true,
    // The reference reads the document; "Try it out" sends requests to
    // this server only (same origin).
    validatorUrl: null,
  });
});
