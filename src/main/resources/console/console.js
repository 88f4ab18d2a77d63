// The Clavis admin console: plain JavaScript on the admin API (/admin/api/v1), the admin authorization server's
// token endpoint and /metrics, all on this page's origin. Every value from the server is written as text
// (textContent, createTextNode, attributes), never parsed as HTML. The access token lives in one variable of this
// closure: never in storage, cookies or the URL, so a reload signs out.
'use strict';
(function () {
  const API = '/admin/api/v1';
  const TOKEN_ENDPOINT = document.querySelector('meta[name="clavis-token-endpoint"]').content;
  const ADMIN_SCOPE = document.querySelector('meta[name="clavis-admin-scope"]').content;
  const PAGE_SIZE = 20;
  const POLL_MS = 2000;
  const HISTORY_SECONDS = 300;
  const SVG = 'http://www.w3.org/2000/svg';

  let token = null;          // the admin access token, in memory only
  let expiryTimer = null;    // signs out when the token expires
  let pollTimer = null;      // reads /metrics while signed in
  let servers = [];          // authorization server ids, from the keys
  const clientsPage = { after: null, next: null };
  const iatPage = { after: null, next: null };
  let samples = [];          // {t: ms, tokens: total issued}

  const $ = id => document.getElementById(id);

  /** An element with attributes and children; strings become text nodes, never markup. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function when(seconds) {
    if (!seconds) return 'never';
    return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  }

  function show(message) {
    $('error').textContent = '';
    $('notice').textContent = message || '';
  }

  function fail(message) {
    $('notice').textContent = '';
    $('error').textContent = message;
  }

  /** Runs an action, showing its error in words. */
  function guarded(action) {
    return (...args) => Promise.resolve().then(() => action(...args)).catch(e => fail(e.message));
  }

  /** The error an answer carries, in words: error_description, or the error code, or the status. */
  async function describe(response) {
    try {
      const body = await response.json();
      if (body.error_description) return body.error_description + ' (' + body.error + ')';
      if (body.error) return body.error;
    } catch (ignored) { /* not JSON */ }
    return 'the server answered ' + response.status;
  }

  async function send(url, options) {
    try {
      return await fetch(url, Object.assign({ cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' }, options));
    } catch (e) {
      throw new Error('The server could not be reached: ' + e.message);
    }
  }

  /** A call to the admin API; a 401 signs out, another error throws with its description. */
  async function api(method, path, body) {
    if (!token) throw new Error('Not signed in.');
    const headers = { Authorization: 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await send(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (token !== headers.Authorization.slice(7)) throw new Error('Signed out meanwhile.'); // nothing shown after sign-out
    if (response.status === 401) {
      const why = await describe(response);
      signOut('Signed out: the admin API refused the token: ' + why);
      throw new Error('Signed out: ' + why);
    }
    if (!response.ok) throw new Error(await describe(response));
    return response.status === 204 ? null : response.json();
  }

  // ---- sign-in and sign-out ----

  /** RFC 6749 section 2.3.1: client_id and secret are form-encoded before Basic's base64. */
  function basic(id, secret) {
    const form = s => encodeURIComponent(s).replace(/%20/g, '+');
    const bytes = new TextEncoder().encode(form(id) + ':' + form(secret));
    return 'Basic ' + btoa(String.fromCharCode(...bytes));
  }

  async function signInWithSecret(event) {
    event.preventDefault();
    const id = $('client-id').value, secret = $('client-secret').value;
    const response = await send(TOKEN_ENDPOINT, {
      method: 'POST',
      headers: { Authorization: basic(id, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: ADMIN_SCOPE }).toString(),
    });
    $('client-secret').value = '';
    if (!response.ok) throw new Error('Sign-in failed: ' + await describe(response));
    const answer = await response.json();
    await start(answer.access_token, Number(answer.expires_in), id);
  }

  /** A pasted token: its lifetime from its exp claim when it is a JWT (RFC 9068), else until the API refuses it. */
  async function signInWithToken(event) {
    event.preventDefault();
    const pasted = $('pasted-token').value.trim();
    $('pasted-token').value = '';
    let expiresIn = NaN, who = 'a pasted token';
    try {
      const claims = JSON.parse(atob(pasted.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      expiresIn = claims.exp - Date.now() / 1000;
      if (claims.client_id) who = String(claims.client_id);
    } catch (ignored) { /* not a JWT: no timer */ }
    await start(pasted, expiresIn, who);
  }

  async function start(accessToken, expiresInSeconds, who) {
    token = accessToken;
    if (Number.isFinite(expiresInSeconds)) {
      if (expiresInSeconds <= 0) { signOut('That token has expired.'); return; }
      expiryTimer = setTimeout(() => signOut('Signed out: the access token expired.'), Math.min(expiresInSeconds * 1000, 2147483647));
    }
    try {
      await loadServers();         // also proves the token works
    } catch (e) {
      if (token) signOut();
      throw e;
    }
    $('who').textContent = 'signed in as ' + who;
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    document.body.dataset.signedIn = 'true';
    samples = [];
    poll();
    pollTimer = setInterval(poll, POLL_MS);
    show('Signed in.');
    await showView('clients');
  }

  /** Forgets the token and everything shown (new secrets included). */
  function signOut(message) {
    token = null;
    clearTimeout(expiryTimer);
    clearInterval(pollTimer);
    expiryTimer = pollTimer = null;
    samples = [];
    for (const id of ['client-detail', 'iat-created', 'chart', 'keys-rotate', 'who']) clear($(id));
    for (const table of document.querySelectorAll('tbody')) clear(table);
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    delete document.body.dataset.signedIn;
    show(message || 'Signed out.');
  }

  async function loadServers() {
    const keys = (await api('GET', '/keys')).keys;
    servers = [...new Set(keys.map(k => k.authorization_server))].sort();
    const select = clear($('as-select'));
    for (const id of servers) select.append(el('option', { value: id }, id));
    return keys;
  }

  const selectedServer = () => $('as-select').value;

  // ---- views ----

  async function showView(name) {
    for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== 'view-' + name;
    for (const b of document.querySelectorAll('nav button')) b.className = b.dataset.view === name ? 'current' : '';
    if (name === 'clients') { clientsPage.after = null; await loadClients(); }
    if (name === 'keys') await loadKeys();
    if (name === 'iat') { iatPage.after = null; await loadInitialAccessTokens(); }
    if (name === 'live') drawLive();
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    return q.toString();
  }

  async function loadClients() {
    const page = await api('GET', '/clients?' + query({ as: selectedServer(), limit: PAGE_SIZE, q: $('filter').value.trim(), after: clientsPage.after }));
    clientsPage.next = page.next || null;
    $('clients-next').disabled = !clientsPage.next;
    const body = clear(document.querySelector('#clients-table tbody'));
    for (const c of page.clients) {
      const claims = Object.entries(c.access_token_claims || {}).map(([k, v]) => k + '=' + JSON.stringify(v)).join(', ');
      body.append(el('tr', { 'data-client-id': c.client_id },
        el('td', { class: 'mono' }, el('button', { type: 'button', class: 'open-client', onclick: guarded(() => showClient(c.authorization_server, c.client_id)) }, c.client_id)),
        el('td', { class: 'client-name' }, c.client_name || ''),
        el('td', {}, c.scope),
        el('td', {}, c.token_endpoint_auth_method),
        el('td', {}, when(c.client_id_issued_at)),
        el('td', {}, c.access_token_lifetime + ' s'),
        el('td', { class: 'mono' }, claims)));
    }
    if (page.clients.length === 0) body.append(el('tr', {}, el('td', { colspan: '7' }, 'No clients.')));
  }

  function path(...segments) {
    return segments.map(encodeURIComponent).join('/');
  }

  async function showClient(as, clientId) {
    const c = await api('GET', '/clients/' + path(as, clientId));
    const box = clear($('client-detail'));
    const list = el('dl');
    for (const [k, v] of Object.entries(c)) {
      const text = k.endsWith('_at') && typeof v === 'number' ? when(v) + ' (' + v + ')' : typeof v === 'string' ? v : JSON.stringify(v);
      list.append(el('dt', {}, k), el('dd', { 'data-member': k }, text));
    }
    const grace = el('select', { id: 'grace' },
      ...[[0, 'none: the old secret stops now'], [300, '5 minutes'], [3600, '1 hour'], [86400, '1 day'], [604800, '7 days'], [2592000, '30 days']]
        .map(([s, label]) => el('option', { value: String(s) }, label)));
    const outcome = el('div', { id: 'client-outcome' });
    box.append(el('div', { class: 'detail' },
      el('h3', {}, 'Client ', el('code', {}, c.client_id)),
      list,
      el('p', {}, el('label', {}, 'old secret keeps working for ', grace),
        el('button', { type: 'button', id: 'rotate-secret', onclick: guarded(() => rotateSecret(as, clientId, Number(grace.value), outcome)) }, 'Rotate secret'),
        ' ',
        el('button', { type: 'button', id: 'delete-client', class: 'danger', onclick: () => confirmDelete(as, clientId, outcome) }, 'Delete…')),
      outcome));
  }

  async function rotateSecret(as, clientId, graceSeconds, outcome) {
    const r = await api('POST', '/clients/' + path(as, clientId) + '/secret', { grace_seconds: graceSeconds });
    clear(outcome).append(el('div', { class: 'shown-once' },
      el('p', {}, 'New secret of ', el('code', {}, r.client_id), ', shown this once: copy it now.'),
      el('p', { class: 'secret', id: 'new-secret' }, r.client_secret),
      el('p', {}, r.previous_client_secret_expires_at ? 'The previous secret works until ' + when(r.previous_client_secret_expires_at) + '.'
        : 'The previous secret no longer works.')));
    show('Secret rotated.');
  }

  function confirmDelete(as, clientId, outcome) {
    clear(outcome).append(el('p', { class: 'shown-once' }, 'Delete ', el('code', {}, clientId),
      '? Its secret and its tokens stop working at once. ',
      el('button', { type: 'button', id: 'confirm-delete', class: 'danger', onclick: guarded(async () => {
        await api('DELETE', '/clients/' + path(as, clientId));
        clear($('client-detail'));
        show('Client ' + clientId + ' deleted.');
        await loadClients();
      }) }, 'Yes, delete'), ' ',
      el('button', { type: 'button', onclick: () => clear(outcome) }, 'Cancel')));
  }

  async function loadKeys() {
    const keys = await loadServers();
    const rotate = clear($('keys-rotate'));
    for (const as of servers) {
      rotate.append(el('button', { type: 'button', 'data-rotate': as, onclick: guarded(async () => {
        const r = await api('POST', '/keys/' + path(as) + '/rotate');
        show('New signing key ' + r.kid + ' for ' + r.authorization_server + '; the old one stays published until its tokens expire.');
        await loadKeys();
      }) }, 'Rotate key of ' + as), ' ');
    }
    const body = clear(document.querySelector('#keys-table tbody'));
    for (const k of keys) {
      body.append(el('tr', { 'data-status': k.status },
        el('td', {}, k.authorization_server), el('td', { class: 'mono' }, k.kid), el('td', {}, k.alg), el('td', { class: 'status' }, k.status),
        el('td', {}, when(k.created_at)), el('td', {}, k.retired_at ? when(k.retired_at) : ''),
        el('td', {}, k.published_until ? when(k.published_until) : '')));
    }
  }

  async function loadInitialAccessTokens() {
    const as = selectedServer();
    const page = await api('GET', '/initial-access-tokens/' + path(as) + '?' + query({ limit: PAGE_SIZE, after: iatPage.after }));
    iatPage.next = page.next || null;
    $('iat-next').disabled = !iatPage.next;
    const body = clear(document.querySelector('#iat-table tbody'));
    for (const t of page.initial_access_tokens) {
      body.append(el('tr', { 'data-iat-id': t.id },
        el('td', { class: 'mono' }, t.id), el('td', {}, when(t.created_at)), el('td', {}, when(t.expires_at)),
        el('td', {}, t.uses_left < 0 ? 'any' : String(t.uses_left)),
        el('td', {}, el('button', { type: 'button', class: 'danger', onclick: guarded(async () => {
          await api('DELETE', '/initial-access-tokens/' + path(as, t.id));
          show('Initial access token ' + t.id + ' revoked.');
          await loadInitialAccessTokens();
        }) }, 'Revoke'))));
    }
    if (page.initial_access_tokens.length === 0) body.append(el('tr', {}, el('td', { colspan: '5' }, 'No initial access tokens.')));
  }

  async function createInitialAccessToken(event) {
    event.preventDefault();
    const r = await api('POST', '/initial-access-tokens/' + path(selectedServer()),
      { expires_in: Number($('iat-expires').value), uses: Number($('iat-uses').value) });
    clear($('iat-created')).append(el('div', { class: 'shown-once' },
      el('p', {}, 'Initial access token ', el('code', {}, r.id), ', shown this once: copy it now.'),
      el('p', { class: 'secret', id: 'new-iat' }, r.initial_access_token)));
    show('Initial access token created.');
    await loadInitialAccessTokens();
  }

  // ---- live panel ----

  /** The Prometheus text format's samples: [{name, labels, value}]. */
  function parseMetrics(text) {
    const out = [];
    for (const line of text.split('\n')) {
      const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) continue;
      const labels = {};
      for (const l of (m[2] || '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (x, c) => (c === 'n' ? '\n' : c));
      out.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return out;
  }

  const total = (metrics, name) => metrics.filter(s => s.name === name).reduce((sum, s) => sum + s.value, 0);

  let latest = [];

  async function poll() {
    if (!token) return;
    try {
      const response = await send('/metrics', {});
      if (!response.ok) throw new Error('/metrics answered ' + response.status);
      const text = await response.text();
      if (!token) return;
      latest = parseMetrics(text);
      const now = Date.now();
      samples.push({ t: now, tokens: total(latest, 'clavis_tokens_issued_total') });
      samples = samples.filter(s => s.t >= now - HISTORY_SECONDS * 1000);
      drawLive();
    } catch (e) {
      fail('Live panel: ' + e.message);
    }
  }

  function drawLive() {
    if (!token) return;
    const rates = [];
    for (let i = 1; i < samples.length; i++) {
      const dt = (samples[i].t - samples[i - 1].t) / 1000;
      rates.push({ t: samples[i].t, rate: dt > 0 ? Math.max(0, samples[i].tokens - samples[i - 1].tokens) / dt : 0 });
    }
    drawChart(rates);
    const rows = [['tokens issued', total(latest, 'clavis_tokens_issued_total')],
      ['clients registered', total(latest, 'clavis_registrations_total')],
      ['client authentication failures', total(latest, 'clavis_client_authentication_failures_total')],
      ['throttled requests (429)', total(latest, 'clavis_throttled_requests_total')],
      ['requests in flight', total(latest, 'clavis_http_requests_in_flight')]];
    const live = clear(document.querySelector('#live-table tbody'));
    for (const [label, value] of rows) live.append(el('tr', {}, el('th', {}, label), el('td', { 'data-metric': label }, String(value))));
    const failures = clear(document.querySelector('#failures-table tbody'));
    for (const s of latest.filter(x => x.name === 'clavis_client_authentication_failures_total')) {
      failures.append(el('tr', {}, el('td', {}, s.labels.as || ''), el('td', {}, s.labels.reason || ''), el('td', {}, String(s.value))));
    }
  }

  /** Tokens per second over the last minutes, as an SVG line built node by node. */
  function drawChart(rates) {
    const W = 600, H = 160, PAD = 30;
    const now = Date.now();
    const peak = rates.reduce((m, r) => Math.max(m, r.rate), 0);
    const top = Math.max(1, Math.ceil(peak));
    const x = t => PAD + (W - PAD - 5) * (1 - (now - t) / (HISTORY_SECONDS * 1000));
    const y = v => H - PAD + 10 - (H - PAD) * (v / top);
    const svg = document.createElementNS(SVG, 'svg');
    for (const [k, v] of Object.entries({ width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'tokens issued per second' })) svg.setAttribute(k, String(v));
    svg.dataset.peak = peak.toFixed(2);
    svg.dataset.points = String(rates.length);
    const node = (tag, attrs, text) => {
      const n = document.createElementNS(SVG, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
      if (text !== undefined) n.textContent = text;
      svg.append(n);
    };
    node('line', { x1: PAD, y1: y(0), x2: W - 5, y2: y(0) });
    node('line', { x1: PAD, y1: y(top), x2: W - 5, y2: y(top) });
    node('text', { x: 2, y: y(top) + 4 }, String(top));
    node('text', { x: 2, y: y(0) + 4 }, '0');
    node('text', { x: PAD, y: H - 4 }, '-' + HISTORY_SECONDS / 60 + ' min');
    node('text', { x: W - 30, y: H - 4 }, 'now');
    if (rates.length > 0) node('polyline', { points: rates.map(r => x(r.t).toFixed(1) + ',' + y(r.rate).toFixed(1)).join(' ') });
    clear($('chart')).append(svg);
    $('chart-caption').textContent = 'tokens issued per second, last ' + HISTORY_SECONDS / 60 + ' minutes; now ' +
      (rates.length ? rates[rates.length - 1].rate.toFixed(2) : '0.00') + '/s, peak ' + peak.toFixed(2) + '/s';
  }

  // ---- wiring the page ----

  $('credentials-form').addEventListener('submit', guarded(signInWithSecret));
  $('token-form').addEventListener('submit', guarded(signInWithToken));
  $('sign-out').addEventListener('click', () => signOut('Signed out.'));
  for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', guarded(() => showView(b.dataset.view)));
  $('as-select').addEventListener('change', guarded(() => {
    clear($('client-detail'));
    const current = document.querySelector('nav button.current');
    return showView(current ? current.dataset.view : 'clients');
  }));
  $('filter-form').addEventListener('submit', guarded(event => { event.preventDefault(); clientsPage.after = null; return loadClients(); }));
  $('clients-first').addEventListener('click', guarded(() => { clientsPage.after = null; return loadClients(); }));
  $('clients-next').addEventListener('click', guarded(() => { clientsPage.after = clientsPage.next; return loadClients(); }));
  $('iat-form').addEventListener('submit', guarded(createInitialAccessToken));
  $('iat-first').addEventListener('click', guarded(() => { iatPage.after = null; return loadInitialAccessTokens(); }));
  $('iat-next').addEventListener('click', guarded(() => { iatPage.after = iatPage.next; return loadInitialAccessTokens(); }));
  document.body.dataset.ready = 'true';
}());
