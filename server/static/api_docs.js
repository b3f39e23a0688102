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
    // No badge from Swagger's online validator: it would load from
    // another host (the document is validated by the tests instead).
    validatorUrl: null,
  });
});
