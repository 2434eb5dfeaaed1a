// Starts Swagger UI on the API's own description (a file, not an inline script: the page's
// Content-Security-Policy allows no inline code).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    withCredentials: true,
  });
});
