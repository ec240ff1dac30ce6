/**
 * The API console's page and script, kept as strings so the control plane
 * bundle stays one file. The script renders with textContent only (nothing
 * from the document or a response is ever parsed as HTML) and keeps the
 * credentials in sessionStorage, never in the URL.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Registry API console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
  header { background: #1d2330; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 auto 0 0; }
  header input { padding: 4px 6px; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px 20px; }
  h2 { font-size: 15px; margin: 24px 0 8px; text-transform: capitalize; }
  details { background: #fff; border: 1px solid #d8dce3; border-radius: 6px; margin: 6px 0; }
  summary { cursor: pointer; padding: 8px 10px; display: flex; gap: 10px; align-items: baseline; }
  .method { font: 600 12px ui-monospace, monospace; width: 56px; }
  .GET { color: #1a7f37; } .POST { color: #0a58ca; } .PUT, .PATCH { color: #9a6700; } .DELETE { color: #cf222e; }
  .path { font-family: ui-monospace, monospace; }
  .who { color: #667; font-size: 12px; margin-left: auto; }
  .call { padding: 8px 12px 12px; border-top: 1px solid #eceef2; display: grid; gap: 6px; }
  .call label { display: grid; grid-template-columns: 120px 1fr; gap: 8px; align-items: center; }
  textarea { font: 12px ui-monospace, monospace; min-height: 90px; }
  pre { background: #0f1420; color: #e6e9ef; padding: 8px; border-radius: 4px; overflow: auto; max-height: 320px; margin: 0; }
  button { justify-self: start; padding: 4px 14px; }
</style>
</head>
<body>
<header>
  <h1>Registry API console</h1>
  <label>User <input id="user" autocomplete="username" data-testid="api-console-user"></label>
  <label>Password <input id="password" type="password" autocomplete="current-password" data-testid="api-console-password"></label>
  <a id="spec" href="openapi.json" style="color:#9cc3ff">openapi.json</a>
</header>
<main id="routes"><p>Loading the API document…</p></main>
<script src="console.js"></script>
</body>
</html>
`;

export const CONSOLE_JS = `'use strict';
(function () {
  var api = new URL('../', location.href); // …/api/v0/
  var el = function (tag, props, children) {
    var e = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) { if (k === 'text') e.textContent = props[k]; else e.setAttribute(k, props[k]); });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  };
  ['user', 'password'].forEach(function (id) {
    var input = document.getElementById(id);
    input.value = sessionStorage.getItem('labdock-api-' + id) || '';
    input.addEventListener('change', function () { sessionStorage.setItem('labdock-api-' + id, input.value); });
  });
  function example(schema) {
    if (!schema) return undefined;
    if (schema.anyOf || schema.oneOf) return example((schema.anyOf || schema.oneOf)[0]);
    if (schema.default !== undefined) return schema.default;
    if (schema.enum) return schema.enum[0];
    if (schema.type === 'object') {
      var out = {};
      Object.keys(schema.properties || {}).forEach(function (k) {
        if ((schema.required || []).indexOf(k) >= 0) out[k] = example(schema.properties[k]);
      });
      return out;
    }
    return { string: '', boolean: false, integer: 0, number: 0 }[schema.type];
  }
  function route(path, method, op) {
    var params = (op.parameters || []).map(function (p) {
      var input = el('input', { name: p.name, 'data-testid': 'api-param-' + p.name });
      return { name: p.name, input: input, label: el('label', {}, [el('span', { text: p.name }), input]) };
    });
    var query = el('input', { placeholder: 'e.g. limit=20' });
    var bodySchema = op.requestBody && op.requestBody.content['application/json'].schema;
    var body = bodySchema ? el('textarea', { 'data-testid': 'api-body' }) : null;
    if (body) body.value = JSON.stringify(example(bodySchema), null, 2);
    var out = el('pre', { text: '', 'data-testid': 'api-response' });
    var send = el('button', { text: 'Send', 'data-testid': 'api-send' });
    send.addEventListener('click', function () {
      var p = path.replace(/^\\//, '');
      params.forEach(function (x) { p = p.replace('{' + x.name + '}', encodeURIComponent(x.input.value)); });
      var url = new URL(p + (query.value ? '?' + query.value : ''), api);
      var headers = { 'content-type': 'application/json' };
      var user = document.getElementById('user').value;
      if (user) headers.authorization = 'Basic ' + btoa(user + ':' + document.getElementById('password').value);
      out.textContent = method.toUpperCase() + ' ' + url.pathname + url.search + ' …';
      fetch(url, { method: method.toUpperCase(), headers: headers, body: body ? body.value : undefined, credentials: 'omit' })
        .then(function (res) { return res.text().then(function (t) {
          var pretty = t;
          try { pretty = JSON.stringify(JSON.parse(t), null, 2); } catch (e) { /* not JSON */ }
          out.textContent = res.status + ' ' + res.statusText + '\\n\\n' + pretty;
        }); })
        .catch(function (err) { out.textContent = 'Request failed: ' + err.message; });
    });
    var call = el('div', { class: 'call' }, params.map(function (x) { return x.label; }).concat([el('label', {}, [el('span', { text: 'query' }), query])], body ? [el('label', {}, [el('span', { text: 'body (JSON)' }), body])] : [], [send, out]));
    var m = method.toUpperCase();
    return el('details', { 'data-testid': 'api-route-' + m + ' ' + path }, [
      el('summary', {}, [el('span', { class: 'method ' + m, text: m }), el('span', { class: 'path', text: path }), el('span', { text: op.summary }), el('span', { class: 'who', text: op.description })]),
      call,
    ]);
  }
  fetch('openapi.json').then(function (r) { return r.json(); }).then(function (doc) {
    var main = document.getElementById('routes');
    main.textContent = '';
    main.appendChild(el('p', { text: doc.info.description }));
    var groups = {};
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        (groups[op.tags[0]] = groups[op.tags[0]] || []).push(route(path, method, op));
      });
    });
    Object.keys(groups).forEach(function (tag) {
      main.appendChild(el('h2', { text: tag }));
      groups[tag].forEach(function (d) { main.appendChild(d); });
    });
  }).catch(function (err) { document.getElementById('routes').textContent = 'Could not load the API document: ' + err.message; });
})();
`;
