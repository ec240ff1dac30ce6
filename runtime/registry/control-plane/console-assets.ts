/**
 * The API console's own two files around Swagger UI: the page, and the
 * script that starts Swagger UI on the OpenAPI document (a file, not inline:
 * the page's CSP allows scripts from the registry only). Every URL is
 * relative to the page, and calls are sent under the page's own prefix, so
 * the console works where the labdock app's proxy serves it (under the
 * session's URL) as well as on the registry's own address.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Registry API console</title>
<link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-testid="api-console"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="console.js"></script>
</body>
</html>
`;

export const CONSOLE_JS = `'use strict';
// The API lives one level above the docs: …/api/v0/docs/ → …/api/v0
const apiBase = new URL('..', location.href).href.replace(/\\/$/, '');
window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', location.href).href,
  dom_id: '#swagger-ui',
  deepLinking: false,
  tryItOutEnabled: true,
  persistAuthorization: false,
  // The document names its server '/api/v0' (from the registry's root); send calls under this page's prefix instead.
  requestInterceptor: (req) => {
    const rootApi = location.origin + '/api/v0';
    if (req.url.startsWith(rootApi + '/') && !req.url.startsWith(apiBase + '/docs/')) req.url = apiBase + req.url.slice(rootApi.length);
    return req;
  },
});
`;
