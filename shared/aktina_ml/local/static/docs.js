// Swagger UI for the local server's /openapi.json. Every request (the document itself and
// "Try it out") carries the key this page was served with; nothing is fetched from outside.
"use strict";

const API_KEY = document.querySelector('meta[name="aktina-api-key"]').content;

window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null,
  requestInterceptor: (request) => {
    request.headers["x-api-key"] = API_KEY;
    return request;
  },
  onComplete: () => window.ui.preauthorizeApiKey("apiKey", API_KEY),
});
