// Starts Swagger UI on /api/v1/docs/: drf-spectacular's start-up script (swagger_ui.js), as a
// static file so the page needs no inline script. Its settings come from data attributes.
"use strict";

(() => {
  const root = document.getElementById("swagger-ui");
  const data = root.dataset;
  const parse = (text, fallback) => (text ? JSON.parse(text) : fallback);
  const swaggerSettings = parse(data.settings, {});
  const oauth2Config = parse(data.oauth2Config, {});
  const schemaAuthNames = parse(data.schemaAuthNames, []);
  let schemaAuthFailed = false;
  let ui;
  const plugins = [];

  const reloadSchema = (original) => (...args) => {
    schemaAuthFailed = false;
    setTimeout(() => ui.specActions.download());
    return original(...args);
  };
  if (schemaAuthNames.length > 0) {
    plugins.push(() => ({
      statePlugins: {
        auth: { wrapActions: { authorizeOauth2: reloadSchema, authorize: reloadSchema, logout: reloadSchema } },
      },
    }));
  }

  const isSchemaUrl = (url) => ui !== undefined && url === new URL(ui.getConfigs().url, document.baseURI).href;

  const responseInterceptor = (response) => {
    if (!response.ok && isSchemaUrl(response.url) && !schemaAuthFailed) {
      // Retry once without credentials, as drf-spectacular does.
      schemaAuthFailed = true;
      setTimeout(() => ui.specActions.download());
    }
    return response;
  };

  const injectAuthCredentials = (request) => {
    let authorized;
    if (ui !== undefined) {
      const state = ui.getState().get("auth").get("authorized");
      if (state !== undefined && Object.keys(state.toJS()).length !== 0) authorized = state.toJS();
    } else if (![undefined, "{}"].includes(localStorage.authorized)) {
      authorized = JSON.parse(localStorage.authorized);
    }
    if (authorized === undefined) return;
    for (const authName of schemaAuthNames) {
      const auth = authorized[authName];
      if (auth === undefined || auth.schema === undefined) continue;
      if (auth.schema.type === "http" && auth.schema.scheme === "bearer") {
        request.headers.Authorization = `Bearer ${auth.value}`;
        return;
      }
      if (auth.schema.type === "apiKey" && auth.schema.in === "header") {
        request.headers[auth.schema.name] = auth.value;
        return;
      }
    }
  };

  const requestInterceptor = (request) => {
    if (request.loadSpec && schemaAuthNames.length > 0 && !schemaAuthFailed) injectAuthCredentials(request);
    if (!["GET", undefined].includes(request.method) && request.credentials === "same-origin") {
      request.headers[data.csrfHeaderName] = data.csrfToken;
    }
    return request;
  };

  ui = SwaggerUIBundle({
    url: data.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    plugins,
    layout: "BaseLayout",
    requestInterceptor,
    responseInterceptor,
    ...swaggerSettings,
    // A deep link is an <a> inside each operation's expand button: nested controls that screen
    // readers and keyboards handle badly (axe-core "nested-interactive").
    deepLinking: false,
  });
  if (Object.keys(oauth2Config).length > 0) ui.initOAuth(oauth2Config);
})();
