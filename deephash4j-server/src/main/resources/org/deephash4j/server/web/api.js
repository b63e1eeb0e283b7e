// The API reference page: Swagger UI (from the service's own jar) over /v1/openapi.json.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({ url: "/v1/openapi.json", dom_id: "#swagger-ui" });
});
