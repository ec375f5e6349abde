/* camwatch compound map.
 *
 * Leaflet with CRS.Simple: one map unit = one metre of the site plan.
 * GeoJSON positions are [x, y] and Leaflet's GeoJSON layer reads them as
 * (lng = x, lat = y); points made by hand must be L.latLng(y, x) — see ll().
 * Headings are compass bearings: 0 = +y (up), 90 = +x (right), clockwise.
 *
 * No inline scripts or styles (CSP): strings come from the JSON block #i18n,
 * element styles are set through the DOM, and user data is inserted with
 * textContent only.
 */
(function () {
  'use strict';

  var T = JSON.parse(document.getElementById('i18n').textContent);
  var T_EXTRA = document.getElementById('i18n-legend');
  if (T_EXTRA) Object.assign(T, JSON.parse(T_EXTRA.textContent));
  var CSRF = document.querySelector('meta[name=csrf-token]').getAttribute('content');
  var LEVELS = ['detection', 'observation', 'recognition', 'identification'];
  var LEVEL_STYLE = {
    detection: { color: '#2c9a6b', fillColor: '#5cc08f', fillOpacity: 0.22, weight: 1 },
    observation: { color: '#1d7fb8', fillColor: '#4aa3d8', fillOpacity: 0.22, weight: 1 },
    recognition: { color: '#c47f12', fillColor: '#f0a73a', fillOpacity: 0.25, weight: 1 },
    identification: { color: '#9c2f6e', fillColor: '#d0508f', fillOpacity: 0.3, weight: 1 }
  };
  var STATUS_COLOR = { active: '#2c9a6b', faulty: '#c93a32', offline: '#6b7480', planned: '#7b4cc2' };

  var el = document.getElementById('map');
  var statusBox = document.getElementById('status');
  var state = {
    data: null, coverage: null, selected: null, addMode: false, ghosts: null,
    markers: {}, layers: {}, zonesByName: {}, handle: null, footprint: null
  };

  // ---------------------------------------------------------------- helpers
  function ll(x, y) { return L.latLng(y, x); }
  function xy(latlng) { return [Math.round(latlng.lng * 1000) / 1000, Math.round(latlng.lat * 1000) / 1000]; }
  function fmt(n, d) { return (n === null || n === undefined) ? '—' : Number(n).toFixed(d === undefined ? 1 : d); }
  function pct(r) { return (r * 100).toFixed(1) + ' %'; }

  function h(tag, attrs) {
    var node = document.createElement(tag);
    var k;
    if (attrs) {
      for (k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === null || attrs[k] === undefined) continue;
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'class') node.className = attrs[k];
        else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
        else node.setAttribute(k, attrs[k]);
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (cc) { if (cc) node.appendChild(typeof cc === 'string' ? document.createTextNode(cc) : cc); });
      else node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function say(text, kind) {
    clear(statusBox);
    if (!text) { statusBox.className = 'mapstatus'; return; }
    statusBox.className = 'mapstatus show ' + (kind || 'info');
    statusBox.appendChild(document.createTextNode(text));
    if (kind !== 'error' && kind !== 'conflict') {
      var mine = text;
      setTimeout(function () { if (statusBox.textContent === mine) say(''); }, 4000);
    }
  }

  function api(method, url, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.headers['X-CSRFToken'] = CSRF;
      opts.body = JSON.stringify(body);
    } else if (method !== 'GET') {
      opts.headers['X-CSRFToken'] = CSRF;
    }
    return fetch(url, opts).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (json) {
        if (!resp.ok) {
          var err = new Error((json.error && json.error.message) || resp.statusText);
          err.status = resp.status; err.body = json;
          throw err;
        }
        return json;
      });
    });
  }

  function showTab(id) {
    document.querySelectorAll('#panel .tab').forEach(function (t) { t.classList.toggle('on', t.id === id); });
    document.querySelectorAll('#panel [data-tab]').forEach(function (b) { b.classList.toggle('on', b.getAttribute('data-tab') === id); });
  }
  document.querySelectorAll('#panel [data-tab]').forEach(function (b) {
    b.addEventListener('click', function () { showTab(b.getAttribute('data-tab')); });
  });

  // ---------------------------------------------------------------- map
  var map = L.map(el, {
    crs: L.CRS.Simple, minZoom: -6, maxZoom: 6, zoomSnap: 0.1, zoomDelta: 0.5,
    attributionControl: false, preferCanvas: true, boxZoom: true
  });
  L.control.scale({ imperial: false, metric: true, maxWidth: 160, position: 'bottomleft' }).addTo(map);

  ['plan', 'coverage', 'spots', 'devices', 'ghosts', 'edit'].forEach(function (name, i) {
    var pane = map.createPane(name);
    pane.style.zIndex = String(390 + i * 5);
  });
  // markers (cameras, handles) live in the marker pane above all vector panes
  var spotRenderer = L.svg({ pane: 'spots' });

  function planStyle(kind, props) {
    switch (kind) {
      case 'boundary': return { color: '#1f2933', weight: 2.5, fill: true, fillColor: '#ffffff', fillOpacity: 0.55, dashArray: '8 4' };
      case 'building': return { color: '#6f7b89', weight: 1, fillColor: '#b9c2cc', fillOpacity: 0.95 };
      case 'obstacle': return { color: '#8b95a1', weight: 1, fillColor: '#d5dae0', fillOpacity: 0.95 };
      case 'wall': return { color: '#3d4650', weight: Math.max(2, (props.thickness_m || 0.2) * 8) };
      case 'zone': return { color: '#1d5fa7', weight: 1.5, dashArray: '5 4', fill: true, fillOpacity: 0.04 };
      case 'mount': return { color: '#7b4cc2', weight: 1, dashArray: '2 3', radius: 2 };
      default: return { color: '#666', weight: 1 };
    }
  }

  // Tooltips are built from text nodes, never from HTML strings: names of buildings,
  // zones, gates and alarm lines come from site files and users (docs/web.md, "Security").
  function tip(text) {
    var node = document.createElement('span');
    node.textContent = String(text);
    return node;
  }

  function drawPlan(plan) {
    var groups = { boundary: [], building: [], obstacle: [], wall: [], zone: [], mount: [] };
    state.zonesByName = {};
    L.geoJSON(plan, {
      pane: 'plan',
      style: function (f) { return planStyle(f.properties.kind, f.properties); },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, Object.assign({ pane: 'plan' }, planStyle('mount', {}))); },
      onEachFeature: function (f, layer) {
        var p = f.properties, kind = p.kind;
        if (!groups[kind]) return;
        groups[kind].push(layer);
        if (kind === 'building' || kind === 'obstacle') {
          if (p.name) layer.bindTooltip(tip(p.name), { sticky: true, className: 'tip' });
        } else if (kind === 'zone') {
          state.zonesByName[p.name] = layer;
          layer.bindTooltip(tip(p.name), { sticky: true, className: 'tip' });
        }
      }
    });
    var names = { boundary: T.boundary, building: T.buildings, obstacle: T.obstacles, wall: T.walls, zone: T.zones, mount: T.mounts };
    Object.keys(groups).forEach(function (kind) {
      var group = L.layerGroup(groups[kind]);
      state.layers['plan_' + kind] = group;
      if (kind !== 'mount') group.addTo(map);
      if (groups[kind].length) overlays[names[kind]] = group;
    });
  }

  // ---------------------------------------------------------------- device icons
  function cameraIcon(p, ghost) {
    if (ghost) return suggestionIcon(p);
    var cls = 'cam-icon st-' + (ghost ? 'ghost' : p.status) + (state.selected === p.id ? ' selected' : '');
    var svg =
      '<svg viewBox="-20 -20 40 40" width="40" height="40" aria-hidden="true">' +
      '<g class="cam-rot"><path class="cone" d="M0,0 L-9,-18 A20,20 0 0 1 9,-18 Z"/></g>' +
      '<circle class="body" r="7"/><circle class="lens" r="2.6"/></svg>';
    return L.divIcon({ className: cls, html: svg, iconSize: [40, 40], iconAnchor: [20, 20] });
  }
  function rotate(marker, heading) {
    var node = marker.getElement && marker.getElement();
    if (!node) return;
    var g = node.querySelector('.cam-rot');
    if (g) g.setAttribute('transform', 'rotate(' + (heading || 0) + ')');
  }
  function deviceIcon(p) {
    var letter = { gate: 'G', alarm: 'A', intercom: 'I' }[p.kind] || '?';
    var cls = 'dev-icon k-' + p.kind + ' st-' + p.status + (state.selected === p.id ? ' selected' : '');
    return L.divIcon({ className: cls, html: '<span>' + letter + '</span>', iconSize: [22, 22], iconAnchor: [11, 11] });
  }

  function canEdit(p) {
    var c = state.data.can;
    return c.edit || (c.plan_devices && p.status === 'planned');
  }

  function deviceLabel(p) {
    return (T[p.kind] || p.kind) + ' ' + p.code + (p.name ? ' · ' + p.name : '') + ' — ' + (T[p.status] || p.status);
  }

  function drawDevices(fc) {
    ['camera', 'gate', 'alarm', 'intercom'].forEach(function (k) {
      if (!state.layers['dev_' + k]) {
        state.layers['dev_' + k] = L.layerGroup().addTo(map);
        overlays[T[k + 's'] || k] = state.layers['dev_' + k];
      }
      state.layers['dev_' + k].clearLayers();
    });
    state.markers = {};
    fc.features.forEach(function (f) {
      var p = f.properties, g = f.geometry, layer;
      var group = state.layers['dev_' + p.kind];
      if (g.type === 'Point') {
        var pos = ll(g.coordinates[0], g.coordinates[1]);
        var icon = p.kind === 'camera' ? cameraIcon(p) : deviceIcon(p);
        layer = L.marker(pos, { icon: icon, draggable: canEdit(p), keyboard: true, title: deviceLabel(p), riseOnHover: true });
        layer.on('add', function () { if (p.kind === 'camera') rotate(layer, p.heading); });
        layer.on('dragstart', function () { removeHandle(); });
        layer.on('drag', function () { if (state.selected === p.id) moveFootprintPreview(); });
        layer.on('dragend', function () { moveDevice(p, layer.getLatLng()); });
      } else {
        var latlngs = g.coordinates.map(function (c) { return ll(c[0], c[1]); });
        layer = L.polyline(latlngs, {
          pane: 'devices', weight: p.kind === 'alarm' ? 4 : 6,
          color: p.kind === 'alarm' ? '#c93a32' : '#1d5fa7', dashArray: p.kind === 'alarm' ? '6 4' : null,
          opacity: p.status === 'active' ? 0.9 : 0.45
        });
        layer.bindTooltip(tip(deviceLabel(p)), { sticky: true, className: 'tip' });
      }
      layer.on('click', function (e) { L.DomEvent.stopPropagation(e); select(p.id); });
      layer.feature = f;
      group.addLayer(layer);
      state.markers[p.id] = layer;
    });
    if (state.selected && state.markers[state.selected]) select(state.selected, true);
  }

  // ---------------------------------------------------------------- coverage layers
  function drawCoverage(cov) {
    LEVELS.forEach(function (lv) {
      var name = T[lv];
      var old = state.layers['cov_' + lv];
      var visible = old ? map.hasLayer(old) : (lv === 'detection' || lv === 'identification');
      if (old) { map.removeLayer(old); }
      var layer = cov.levels[lv]
        ? L.geoJSON(cov.levels[lv], { pane: 'coverage', style: LEVEL_STYLE[lv], interactive: false })
        : L.layerGroup();
      state.layers['cov_' + lv] = layer;
      overlays[T.coverage + ' · ' + name] = layer;
      if (visible) layer.addTo(map);
    });
    var oldSpots = state.layers.spots;
    var spotsVisible = oldSpots ? map.hasLayer(oldSpots) : true;
    if (oldSpots) map.removeLayer(oldSpots);
    var spots = L.geoJSON(cov.blind_spots, {
      pane: 'spots',
      renderer: spotRenderer,  // SVG: few shapes, and each one is a DOM element with its tooltip
      style: { color: '#c93a32', weight: 1.2, fillColor: '#e5534b', fillOpacity: 0.4, className: 'blind-spot' },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        var text = T.blind_spot + ' ' + p.id + ' · ' + fmt(p.area_m2) + ' ' + T.m2 +
          (p.zones.length ? ' · ' + T.zones + ': ' + p.zones.join(', ') : '');
        layer.bindTooltip(tip(text), { sticky: true, className: 'tip tip-spot' });
      }
    });
    state.layers.spots = spots;
    overlays[T.blind_spots] = spots;
    if (spotsVisible) spots.addTo(map);
    // zones coloured by result
    (cov.summary.zones || []).forEach(function (z) {
      var layer = state.zonesByName[z.name];
      if (!layer) return;
      layer.setStyle({ color: z.pass ? '#2c9a6b' : '#c47f12', dashArray: z.pass ? '5 4' : null, weight: z.pass ? 1.5 : 2.5 });
      layer.setTooltipContent(tip(z.name + ' · ' + pct(z.ratio) + ' · ' + (z.pass ? T.compliant : T.not_compliant)));
    });
    rebuildLayerControl();
    refreshLabels();
    syncLegend();
    renderSummary(cov.summary);
  }

  function renderSummary(s) {
    var box = clear(document.getElementById('coverage-summary'));
    problemButtons = {};
    var planned = document.getElementById('opt-planned').checked;
    box.appendChild(h('p', { class: 'verdict ' + (s.compliant ? 'ok' : 'bad'), id: 'verdict' },
      s.compliant ? T.site_compliant : T.site_not_compliant));
    var table = h('table', { class: 'table compact levels', id: 'level-table' });
    var cov = state.coverage || {};
    var compare = cov.compare || null;  // the compound's own model beside the one drawn
    var shown = cov.model ? cov.model.model : null;
    if (compare) {
      table.appendChild(h('tr', { class: 'model-head' }, h('th'), h('th', { class: 'num', text: T['model_' + shown] }),
        h('th', { class: 'num', text: T['model_' + compare.model] }), h('th')));
    }
    LEVELS.forEach(function (lv) {
      var r = s.levels[lv].ratio;
      var bar = h('div', { class: 'bar w' + (Math.floor(r * 50) * 2) + (r < 0.9 ? ' bad' : (r < 0.98 ? ' warn' : '')) }, h('span'));
      table.appendChild(h('tr', { 'data-level': lv },
        h('th', { text: T[lv] }), h('td', { class: 'num ratio', text: pct(r) }),
        compare ? h('td', { class: 'num compare-ratio', text: pct(compare.levels[lv]) }) : null,
        h('td', { class: 'wide-cell' }, bar)));
    });
    box.appendChild(table);
    if (shown) {
      var heights = s.target_height_m ? ' · ' + T.target_height + ' ' + LEVELS.map(function (lv) { return fmt(s.target_height_m[lv], 1) + ' m'; }).join(' / ') : '';
      box.appendChild(h('p', { class: 'muted small', id: 'model-note', 'data-model': shown }, T['model_' + shown] + heights));
      if (compare) box.appendChild(h('p', { class: 'muted small', text: T.compare_note }));
    }
    box.appendChild(h('p', { class: 'muted small' }, T.monitored + ': ' + fmt(s.monitored_area_m2, 0) + ' ' + T.m2 + ' · ' +
      (planned ? T.counted_note_planned : T.counted_note)));

    box.appendChild(h('h3', { text: T.zones }));
    var failing = s.zones.filter(function (z) { return !z.pass; });
    var passing = s.zones.filter(function (z) { return z.pass; });
    function zoneItem(z) {
      var li = h('li', { class: z.pass ? 'pass' : 'fail' },
        h('span', { class: 'badge ' + (z.pass ? 'pass' : 'fail'), text: z.pass ? T.compliant : T.not_compliant }), ' ',
        h('a', { href: '#', text: z.name, onclick: function (e) { e.preventDefault(); zoomToZone(z.name); } }),
        h('small', { class: 'muted' }, ' · ' + T[z.required_level] + ' ' + pct(z.ratio)));
      if (!z.pass && state.data.can.problem && !compare) li.appendChild(problemButton({ zone: z.name }, 'zone:' + z.name));
      return li;
    }
    var zl = h('ul', { class: 'plain zones', id: 'zone-list' });
    failing.forEach(function (z) { zl.appendChild(zoneItem(z)); });
    if (!s.zones.length) zl.appendChild(h('li', { class: 'muted', text: T.none }));
    box.appendChild(zl);
    if (passing.length) {
      var more = h('details', { class: 'more' }, h('summary', {}, T.compliant + ' (' + passing.length + ')'));
      var pl = h('ul', { class: 'plain zones' });
      passing.forEach(function (z) { pl.appendChild(zoneItem(z)); });
      more.appendChild(pl);
      box.appendChild(more);
    }

    box.appendChild(h('h3', {}, T.blind_spots + ' (' + s.blind_spots.length + ')'));
    var bl = h('ul', { class: 'plain spots', id: 'spot-list' });
    s.blind_spots.forEach(function (b) {
      var li = h('li', {},
        h('a', { href: '#', text: b.id, onclick: function (e) { e.preventDefault(); zoomToSpot(b); } }),
        ' · ' + fmt(b.area_m2) + ' ' + T.m2,
        b.zones.length ? h('small', { class: 'muted' }, ' · ' + b.zones.join(', ')) : null);
      if (state.data.can.problem && !compare) li.appendChild(problemButton({ blind_spot: b.id }, 'spot:' + b.id));
      bl.appendChild(li);
    });
    if (!s.blind_spots.length) bl.appendChild(h('li', { class: 'muted', text: T.none }));
    box.appendChild(bl);
    if (!planned && state.data.can.problem) showHeldProblems();
  }

  // one problem per zone or blind spot (docs/registry.md): those that have one link to it
  var problemButtons = {};
  function heldLink(ref) {
    return h('a', { href: ref.url, class: 'problem-held', text: T.problem_held + ' (#' + ref.id + ')' });
  }
  function showHeldProblems() {
    var buttons = problemButtons;
    var url = state.data.urls.problem.replace(/problems\/new$/, 'problem-refs.json');
    api('GET', url).then(function (refs) {
      Object.keys(refs).forEach(function (key) {
        var btn = buttons[key];
        if (btn && btn.isConnected) btn.replaceWith(heldLink(refs[key]));
      });
    }).catch(function () { /* the buttons stay; the server still refuses a duplicate */ });
  }

  function problemButton(body, key) {
    var btn = h('button', { type: 'button', class: 'small linkbtn problem-new', text: T.create_problem });
    problemButtons[key] = btn;
    btn.addEventListener('click', function () {
      btn.disabled = true;
      api('POST', state.data.urls.problem, body).then(function (res) {
        var a = h('a', { href: res.url, text: T.problem_opened + ' #' + res.id });
        btn.replaceWith(a);
      }).catch(function (err) {
        if (err.status === 409 && err.body && err.body.id) { btn.replaceWith(heldLink(err.body)); return; }
        btn.disabled = false; say(err.message, 'error');
      });
    });
    return btn;
  }

  function zoomToSpot(b) {
    var found = null;
    state.layers.spots.eachLayer(function (l) { if (l.feature.properties.id === b.id) found = l; });
    if (found) { map.fitBounds(found.getBounds(), { maxZoom: 3, padding: [40, 40] }); found.openTooltip(); }
  }
  function zoomToZone(name) {
    var layer = state.zonesByName[name];
    if (layer) { map.fitBounds(layer.getBounds(), { maxZoom: 3, padding: [40, 40] }); layer.openTooltip(); }
  }

  // a finding's geometry from the findings tab (?focus=<GeoJSON>): drawn highlighted, map fitted to it
  function showFocus() {
    var raw = new URLSearchParams(window.location.search).get('focus');
    if (!raw) return;
    try {
      var layer = L.geoJSON(JSON.parse(raw), {
        style: { color: '#e8590c', weight: 5, fillOpacity: 0.25, dashArray: '6 4' },
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 12, color: '#e8590c', weight: 4 }); }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { maxZoom: 3, padding: [60, 60] });
      el.setAttribute('data-focus', '1');
    } catch (e) { /* a broken focus link shows the plain map */ }
  }

  // ---------------------------------------------------------------- layer control + legend
  var overlays = {};
  var layerControl = null;
  function rebuildLayerControl() {
    if (layerControl) map.removeControl(layerControl);
    layerControl = L.control.layers(null, overlays, { collapsed: true, position: 'topright' }).addTo(map);
  }

  var Legend = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd: function () {
      var div = L.DomUtil.create('div', 'legend');
      L.DomEvent.disableClickPropagation(div);
      var details = h('details', { open: window.innerWidth >= 760 ? 'open' : null }, h('summary', { text: T.legend }));
      LEVELS.forEach(function (lv) {
        details.appendChild(h('div', { class: 'lg', 'data-layer': 'cov_' + lv }, h('i', { class: 'sw lv-' + lv }), T[lv]));
      });
      details.appendChild(h('div', { class: 'lg', 'data-layer': 'spots' }, h('i', { class: 'sw spot' }), T.blind_spots));
      ['active', 'faulty', 'offline', 'planned'].forEach(function (st) {
        details.appendChild(h('div', { class: 'lg' }, h('i', { class: 'dot st-' + st }), T.camera + ' · ' + T[st]));
      });
      details.appendChild(h('div', { class: 'lg' }, h('i', { class: 'dot st-ghost' }), T.suggestions));
      details.appendChild(h('div', { class: 'lg lg-devsug' }, h('i', { class: 'dot devsug' }), T.device_suggestions));
      details.appendChild(h('div', { class: 'lg lg-routes' }, h('i', { class: 'sw route' }), T.intruder_routes));
      details.appendChild(h('div', { class: 'lg lg-patrol' }, h('i', { class: 'sw patrol' }), T.patrol_route));
      details.appendChild(h('p', { class: 'lg-note', text: T.legend_note }));
      div.appendChild(details);
      return div;
    }
  });

  // ---------------------------------------------------------------- legend sync, labels, suggestion icon
  // (docs/web.md "The map": the legend says which layers are shown; names on the map)

  // A suggested (not yet accepted) camera: a teal diamond with a "+", unlike the purple
  // dashed circle of a planned camera in the ledger.
  function suggestionIcon(p) {
    var cls = 'cam-icon st-ghost' + (state.selected === p.id ? ' selected' : '');
    var svg =
      '<svg viewBox="-20 -20 40 40" width="40" height="40" aria-hidden="true">' +
      '<g class="cam-rot"><path class="cone" d="M0,0 L-9,-18 A20,20 0 0 1 9,-18 Z"/></g>' +
      '<path class="body" d="M0,-8 L8,0 L0,8 L-8,0 Z"/><path class="plus" d="M-3.5,0 H3.5 M0,-3.5 V3.5"/></svg>';
    return L.divIcon({ className: cls, html: svg, iconSize: [40, 40], iconAnchor: [20, 20] });
  }

  // Legend rows of a layer that is not on the map are greyed and say "hidden"; a click
  // on such a row shows or hides its layer (the layer control follows).
  function syncLegend() {
    document.querySelectorAll('.legend [data-layer]').forEach(function (row) {
      var layer = state.layers[row.getAttribute('data-layer')];
      var shown = !!(layer && map.hasLayer(layer));
      row.classList.toggle('off', !shown);
      row.setAttribute('title', shown ? T.legend_hide : T.legend_show);
      var note = row.querySelector('.lg-hidden');
      if (!shown && !note) row.appendChild(h('small', { class: 'lg-hidden', text: T.hidden_layer }));
      if (shown && note) row.removeChild(note);
    });
  }
  function setupLegendSync() {
    document.querySelectorAll('.legend [data-layer]').forEach(function (row) {
      row.setAttribute('role', 'button');
      row.setAttribute('tabindex', '0');
      function flip() {
        var layer = state.layers[row.getAttribute('data-layer')];
        if (!layer) return;
        if (map.hasLayer(layer)) map.removeLayer(layer); else layer.addTo(map);
      }
      row.addEventListener('click', flip);
      row.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); flip(); } });
    });
    map.on('layeradd layerremove', function (e) {
      // only the layers the legend or the names stand for (not the label markers themselves)
      var watched = Object.keys(state.layers).some(function (k) { return state.layers[k] === e.layer; });
      if (!watched || state.labelsQueued) return;
      state.labelsQueued = true;
      setTimeout(function () { state.labelsQueued = false; syncLegend(); refreshLabels(); }, 0);
    });
    syncLegend();
  }

  // Names on the map, as on the PNG: buildings, zones, blind spots (B1…). A label is shown
  // when its feature is drawn at least LABEL_MIN_PX wide on screen, so it appears as one
  // zooms in and never covers a feature smaller than itself.
  var LABEL_MIN_PX = { building: 56, zone: 56, spot: 22 };
  function labelItems() {  // in order of precedence when names would overlap
    var items = [];
    var b = state.layers.plan_building, z = state.layers.plan_zone, s = state.layers.spots;
    if (b && map.hasLayer(b)) b.eachLayer(function (l) {
      var p = l.feature && l.feature.properties;
      if (p && p.name) items.push({ kind: 'building', layer: l, text: p.name });
    });
    if (s && map.hasLayer(s)) s.eachLayer(function (l) {
      var p = l.feature && l.feature.properties;
      if (p && p.id) items.push({ kind: 'spot', layer: l, text: p.id });
    });
    if (z && map.hasLayer(z)) z.eachLayer(function (l) {
      var p = l.feature && l.feature.properties;
      if (p && p.name) items.push({ kind: 'zone', layer: l, text: p.name });
    });
    return items;
  }
  function labelWidth(text) {  // estimated screen width of a label, px (CJK ≈ 12, Latin ≈ 7)
    var w = 10;
    for (var i = 0; i < text.length; i++) w += text.charCodeAt(i) > 0x2e80 ? 12 : 7;
    return w;
  }
  function refreshLabels() {
    if (!state.labels) return;
    state.labels.clearLayers();
    if (!map.hasLayer(state.labels)) return;
    var placed = [];  // screen boxes of the names drawn so far: a name that would overlap one is left out
    labelItems().forEach(function (it) {
      var bounds = it.layer.getBounds();
      var a = map.latLngToContainerPoint(bounds.getSouthWest()), c = map.latLngToContainerPoint(bounds.getNorthEast());
      var w = labelWidth(it.text);
      if (Math.abs(c.x - a.x) < Math.max(LABEL_MIN_PX[it.kind], w)) return;
      // zones are named at their top edge (a zone often holds a building named at its centre)
      var at = it.kind === 'zone' ? L.latLng(bounds.getNorth(), bounds.getCenter().lng) : bounds.getCenter();
      var p = map.latLngToContainerPoint(at);
      var box = { x0: p.x - w / 2, x1: p.x + w / 2, y0: it.kind === 'zone' ? p.y : p.y - 9, y1: it.kind === 'zone' ? p.y + 20 : p.y + 9 };
      var clash = placed.some(function (q) { return box.x0 < q.x1 && q.x0 < box.x1 && box.y0 < q.y1 && q.y0 < box.y1; });
      if (clash) return;
      placed.push(box);
      var node = document.createElement('span');
      node.textContent = String(it.text);  // names come from site files and users: text only
      state.labels.addLayer(L.marker(at, {
        pane: 'labels', interactive: false, keyboard: false,
        icon: L.divIcon({ className: 'maplabel ml-' + it.kind, html: node, iconSize: null })
      }));
    });
  }
  function setupLabels() {
    var pane = map.createPane('labels');
    pane.style.zIndex = '430';
    pane.style.pointerEvents = 'none';
    state.labels = L.layerGroup().addTo(map);
    overlays[T.labels] = state.labels;
    map.on('zoomend', refreshLabels);
    refreshLabels();
  }

  // ---------------------------------------------------------------- selection, footprint, heading handle
  function select(id, quiet) {
    var prev = state.selected;
    state.selected = id;
    if (prev && state.markers[prev]) refreshIcon(prev);
    refreshIcon(id);
    removeHandle();
    var layer = state.markers[id];
    if (!layer) return;
    var p = layer.feature.properties;
    if (p.kind === 'camera') {
      showFootprint(p);
      if (canEdit(p)) addHandle(layer, p);
    } else {
      clearFootprint();
    }
    if (!quiet) {
      showTab('tab-device');
      loadDevice(id);
    }
  }

  function refreshIcon(id) {
    var layer = state.markers[id];
    if (!layer || !layer.setIcon) return;
    var p = layer.feature.properties;
    layer.setIcon(p.kind === 'camera' ? cameraIcon(p) : deviceIcon(p));
    if (p.kind === 'camera') rotate(layer, p.heading);
  }

  function clearFootprint() {
    if (state.footprint) { map.removeLayer(state.footprint); state.footprint = null; }
  }
  function showFootprint(p) {
    var url = state.data.urls.footprint + '?camera=' + encodeURIComponent(p.code) + modelParam();
    api('GET', url).then(function (fp) {
      if (state.selected !== p.id) return;
      clearFootprint();
      var group = L.layerGroup();
      LEVELS.forEach(function (lv) {
        if (fp.levels[lv]) {
          group.addLayer(L.geoJSON(fp.levels[lv], {
            pane: 'edit', interactive: false,
            style: Object.assign({}, LEVEL_STYLE[lv], { fillOpacity: 0.35, weight: 1.5, dashArray: lv === 'detection' ? '4 3' : null })
          }));
        }
      });
      state.footprint = group.addTo(map);
    }).catch(function () { /* the camera may be new and not yet analysed */ });
  }
  function moveFootprintPreview() { clearFootprint(); }

  function handleRadius() {
    // about 60 screen pixels, in metres at the current zoom
    var a = map.containerPointToLatLng([0, 0]), b = map.containerPointToLatLng([60, 0]);
    return Math.abs(b.lng - a.lng);
  }
  function handlePos(center, heading) {
    var r = handleRadius(), rad = heading * Math.PI / 180;
    return L.latLng(center.lat + r * Math.cos(rad), center.lng + r * Math.sin(rad));
  }
  function addHandle(marker, p) {
    var center = marker.getLatLng();
    var line = L.polyline([center, handlePos(center, p.heading || 0)], { pane: 'edit', color: '#1d5fa7', weight: 2, dashArray: '3 3', interactive: false }).addTo(map);
    var knob = L.marker(handlePos(center, p.heading || 0), {
      draggable: true, keyboard: true, title: T.heading_deg,
      icon: L.divIcon({ className: 'heading-handle', html: '<span></span>', iconSize: [22, 22], iconAnchor: [11, 11] })
    }).addTo(map);
    var heading = p.heading || 0;
    knob.on('drag', function () {
      var q = knob.getLatLng();
      heading = (Math.atan2(q.lng - center.lng, q.lat - center.lat) * 180 / Math.PI + 360) % 360;
      line.setLatLngs([center, q]);
      rotate(marker, heading);
    });
    knob.on('dragend', function () {
      heading = Math.round(heading * 10) / 10;
      turnCamera(p, heading);
    });
    state.handle = { knob: knob, line: line, marker: marker };
  }
  function removeHandle() {
    if (state.handle) { map.removeLayer(state.handle.knob); map.removeLayer(state.handle.line); state.handle = null; }
  }
  map.on('zoomend', function () {
    if (state.handle) { var m = state.handle.marker, p = m.feature.properties; removeHandle(); addHandle(m, p); }
  });

  // ---------------------------------------------------------------- editing
  function patchDevice(p, changes, okText) {
    var body = Object.assign({ version: p.version }, changes);
    return api('PATCH', state.data.urls.device + p.id, body).then(function (fresh) {
      say(okText || T.saved, 'ok');
      return reload().then(function () { select(p.id, true); if (document.getElementById('tab-device').classList.contains('on')) renderDevice(fresh); });
    }).catch(function (err) {
      if (err.status === 409) {
        conflict(p, changes, err.body);
      } else {
        say(err.message, 'error');
      }
      return reload();
    });
  }

  function conflict(p, changes, body) {
    // nothing is lost: the user's change is kept on screen and can be re-applied on the new version
    say(T.conflict, 'conflict');
    var fresh = body && body.current;
    showTab('tab-device');
    var box = document.getElementById('device-panel');
    var note = h('div', { class: 'flash warn conflict', id: 'conflict-box' },
      h('p', { text: T.conflict }),
      h('p', {}, h('b', { text: T.your_change + ': ' }), h('code', { text: JSON.stringify(changes) })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary small', text: T.reapply, onclick: function () {
          var base = fresh ? fresh.properties : p;
          patchDevice(base, changes);
        } }),
        h('button', { type: 'button', class: 'small', text: T.discard, onclick: function () { note.remove(); say(''); } })));
    if (fresh) renderDevice(fresh);
    box.insertBefore(note, box.firstChild);
  }

  function moveDevice(p, latlng) {
    var pos = xy(latlng);
    patchDevice(p, { x: pos[0], y: pos[1] }, T.moved);
  }
  function turnCamera(p, heading) {
    patchDevice(p, { heading_deg: heading }, T.turned);
  }

  var addBtn = document.getElementById('btn-add');
  function setAddMode(on) {
    state.addMode = on;
    addBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
    addBtn.classList.toggle('primary', on);
    el.classList.toggle('adding', on);
    if (on) say(T.click_to_add, 'info'); else say('');
  }
  addBtn.addEventListener('click', function () { setAddMode(!state.addMode); });
  // A device added on the map is planned unless the editor says it is installed
  // (docs/web.md "The map"); only editors of every device may say so.
  function addStatus() {
    var sel = document.getElementById('add-status');
    if (!state.data.can.edit || !sel) return 'planned';
    return sel.value === 'active' ? 'active' : 'planned';
  }
  map.on('click', function (e) {
    if (!state.addMode) return;
    var kind = document.getElementById('add-kind').value;
    var pos = xy(e.latlng);
    var body = { kind: kind, x: pos[0], y: pos[1] };
    if (kind === 'camera') body.heading_deg = 0;
    if (kind === 'alarm') body.alarm_type = 'panic_button';
    body.status = addStatus();
    setAddMode(false);
    api('POST', state.data.urls.devices, body).then(function (dev) {
      say(T.added + ' ' + dev.properties.code, 'ok');
      return reload().then(function () { select(dev.properties.id); });
    }).catch(function (err) { say(err.message, 'error'); });
  });

  // ---------------------------------------------------------------- device panel
  function loadDevice(id) {
    var box = clear(document.getElementById('device-panel'));
    box.appendChild(h('p', { class: 'muted', text: '…' }));
    api('GET', state.data.urls.device + id).then(renderDevice).catch(function (err) {
      clear(box).appendChild(h('p', { class: 'flash error', text: err.message }));
    });
  }

  function field(name, value, attrs) {
    var input = h('input', Object.assign({ name: name, value: value === null || value === undefined ? '' : String(value) }, attrs || {}));
    return h('label', {}, T[name] || name, input);
  }

  function renderDevice(f) {
    var p = f.properties, props = p.properties || {};
    var box = clear(document.getElementById('device-panel'));
    var editable = canEdit(p);
    box.appendChild(h('div', { class: 'devhead' },
      h('h2', {}, (T[p.kind] || p.kind) + ' ' + p.code),
      h('span', { class: 'badge ' + p.status, text: T[p.status] || p.status })));
    var facts = h('dl', { class: 'facts' });
    function fact(k, v) { if (v !== null && v !== undefined && v !== '') { facts.appendChild(h('dt', { text: T[k] || k })); facts.appendChild(h('dd', { text: String(v) })); } }
    fact('name', p.name); fact('manufacturer', p.manufacturer); fact('model', p.model); fact('serial', p.serial);
    fact('install_date', p.install_date);
    if (p.kind === 'camera' && p.reach) {
      fact('reach', LEVELS.map(function (lv) { return T[lv].slice(0, 2) + ' ' + fmt(p.reach[lv], 0) + ' m'; }).join(' · '));
    }
    if (props.access_control) fact('access_control', props.access_control);
    if (props.alarm_type) fact('alarm_type', props.alarm_type);
    box.appendChild(facts);

    if (editable) {
      var form = h('form', { class: 'stack devform', id: 'device-form' });
      var st = h('select', { name: 'status' });
      var statuses = state.data.can.edit ? ['active', 'faulty', 'offline', 'planned'] : ['planned'];
      statuses.forEach(function (s) { var o = h('option', { value: s, text: T[s] }); if (s === p.status) o.selected = true; st.appendChild(o); });
      form.appendChild(h('div', { class: 'row' }, field('name', p.name), h('label', {}, T.status, st)));
      if (p.kind === 'camera') {
        form.appendChild(h('div', { class: 'row' },
          field('height_m', props.height_m, { type: 'number', step: 'any', min: '0.1' }),
          field('heading_deg', props.heading_deg, { type: 'number', step: 'any' }),
          field('tilt_deg', props.tilt_deg, { type: 'number', step: 'any', min: '-90', max: '90' })));
        form.appendChild(h('div', { class: 'row' },
          field('hfov_deg', props.hfov_deg, { type: 'number', step: 'any', min: '0.1', max: '360' }),
          field('focal_mm', props.focal_mm, { type: 'number', step: 'any', min: '0' }),
          field('sensor_width_mm', props.sensor_width_mm, { type: 'number', step: 'any', min: '0' })));
        form.appendChild(h('div', { class: 'row' },
          field('resolution', (props.resolution || [1920, 1080]).join('x'), { pattern: '\\d+x\\d+' }),
          field('range_m', props.range_m, { type: 'number', step: 'any', min: '0' })));
      }
      form.appendChild(h('div', { class: 'row' }, field('model', p.model), field('serial', p.serial)));
      form.appendChild(h('button', { type: 'submit', class: 'primary', text: T.save }));
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var changes = {};
        var data = new FormData(form);
        data.forEach(function (v, k) {
          var before = (k in props) ? props[k] : p[k];
          if (k === 'resolution') before = (props.resolution || [1920, 1080]).join('x');
          if (String(v) !== String(before === null || before === undefined ? '' : before)) {
            changes[k] = (v === '') ? null : v;
          }
        });
        ['height_m', 'heading_deg', 'tilt_deg', 'hfov_deg', 'focal_mm', 'sensor_width_mm', 'range_m'].forEach(function (k) {
          if (k in changes && changes[k] !== null) changes[k] = Number(changes[k]);
        });
        if (!Object.keys(changes).length) { say(T.saved, 'ok'); return; }
        patchDevice(p, changes);
      });
      box.appendChild(form);
    }

    if (p.problems && p.problems.length) {
      box.appendChild(h('h3', { text: T.problems }));
      var pl = h('ul', { class: 'plain' });
      p.problems.forEach(function (pr) { pl.appendChild(h('li', {}, h('a', { href: '/problems/' + pr.id, text: '#' + pr.id }), ' ' + pr.description + ' · ' + T.deadline + ' ' + pr.deadline)); });
      box.appendChild(pl);
    }

    box.appendChild(h('h3', { text: T.maintenance }));
    var ml = h('ul', { class: 'plain history', id: 'maintenance-list' });
    (p.maintenance || []).forEach(function (m) {
      ml.appendChild(h('li', {},
        h('b', { text: m.date }), ' ' + (T['m_' + m.kind] || m.kind) + ' · ' + m.technician,
        m.status_before !== m.status_after ? h('span', { class: 'muted' }, ' · ' + (T[m.status_before] || m.status_before) + ' → ' + (T[m.status_after] || m.status_after)) : null,
        m.notes ? h('div', { class: 'muted small', text: m.notes }) : null));
    });
    if (!(p.maintenance || []).length) ml.appendChild(h('li', { class: 'muted', text: T.no_maintenance }));
    box.appendChild(ml);

    if (state.data.can.maintenance) {
      var mf = h('form', { class: 'stack', id: 'maintenance-form' });
      var kind = h('select', { name: 'kind' });
      ['inspection', 'repair', 'replacement', 'cleaning', 'firmware'].forEach(function (k) { kind.appendChild(h('option', { value: k, text: T['m_' + k] })); });
      var after = h('select', { name: 'status_after' }, h('option', { value: '', text: T.unchanged }));
      ['active', 'faulty', 'offline'].forEach(function (s) { after.appendChild(h('option', { value: s, text: T[s] })); });
      mf.appendChild(h('h3', { text: T.log_maintenance }));
      mf.appendChild(h('div', { class: 'row' }, h('label', {}, T.work_done, kind), h('label', {}, T.status_after, after)));
      mf.appendChild(h('label', {}, T.notes, h('textarea', { name: 'notes', rows: '2' })));
      mf.appendChild(h('button', { type: 'submit', text: T.log_maintenance }));
      mf.addEventListener('submit', function (e) {
        e.preventDefault();
        var body = { kind: kind.value, status_after: after.value || null, notes: mf.elements.notes.value || null };
        api('POST', p.urls.maintenance, body).then(function (fresh) {
          say(T.logged, 'ok');
          renderDevice(fresh);
          return reload();
        }).catch(function (err) { say(err.message, 'error'); });
      });
      box.appendChild(mf);
    }
    box.appendChild(h('p', {}, h('a', { href: p.urls.page, text: T.open_page })));
  }

  // ---------------------------------------------------------------- planner
  function drawGhosts(plan) {
    if (state.ghosts) map.removeLayer(state.ghosts);
    var group = L.layerGroup();
    plan.suggestions.forEach(function (s) {
      LEVELS.forEach(function (lv) {
        if (s.footprints && s.footprints[lv]) {
          group.addLayer(L.geoJSON(s.footprints[lv], {
            pane: 'ghosts', interactive: false,
            style: Object.assign({}, LEVEL_STYLE[lv], { color: '#7b4cc2', dashArray: '4 4', fillOpacity: 0.18 })
          }));
        }
      });
      var m = L.marker(ll(s.position[0], s.position[1]), {
        icon: cameraIcon({ id: s.id, status: 'planned' }, true), title: s.id + ' · +' + fmt(s.gain_m2) + ' ' + T.m2
      });
      m.on('add', function () { rotate(m, s.heading_deg); });
      // the suggestion's id stays on the map (as on the plan picture); details on hover via title
      m.bindTooltip(tip(s.id), { permanent: true, direction: 'right', offset: [14, 0], className: 'tip ghost-label' });
      group.addLayer(m);
    });
    state.ghosts = group.addTo(map);
    overlays[T.suggestions] = group;
    rebuildLayerControl();
  }

  // "before" of a plan counts active and planned cameras (docs/planners.md); the coverage
  // tab counts active ones unless "with planned" is ticked: show both, each named
  function planTable(plan) {
    var withPlanned = plan.planned_cameras > 0 && plan.before_active;
    var head = h('tr', {}, h('th'));
    if (withPlanned) head.appendChild(h('th', { class: 'num', text: T.now_active }));
    head.appendChild(h('th', { class: 'num', text: withPlanned ? T.before_planned.replace('{n}', plan.planned_cameras) : T.before }));
    head.appendChild(h('th', { class: 'num', text: T.after }));
    var t = h('table', { class: 'table compact', id: 'plan-table' }, head);
    LEVELS.forEach(function (lv) {
      var row = h('tr', { 'data-level': lv }, h('th', { text: T[lv] }));
      if (withPlanned) row.appendChild(h('td', { class: 'num now', text: pct(plan.before_active[lv]) }));
      row.appendChild(h('td', { class: 'num before', text: pct(plan.before[lv]) }));
      row.appendChild(h('td', { class: 'num after', text: pct(plan.after[lv]) }));
      t.appendChild(row);
    });
    var wrap = h('div', {}, t);
    wrap.appendChild(h('p', { class: 'muted small', id: 'plan-before-note',
      text: withPlanned ? T.before_note_planned.replace('{n}', plan.planned_cameras) : T.before_note }));
    return wrap;
  }

  function renderPlan(plan) {
    var box = clear(document.getElementById('plan-result'));
    drawGhosts(plan);
    // the planner's note is English; the page words it (fewer cameras than asked, or none)
    if (plan.note && plan.suggestions.length) {
      box.appendChild(h('p', { class: 'flash info', id: 'plan-note', text: T.plan_fewer.replace('{n}', plan.suggestions.length) }));
    }
    box.appendChild(planTable(plan));
    var ul = h('ul', { class: 'plain suggestions' });
    plan.suggestions.forEach(function (s) {
      ul.appendChild(h('li', {}, h('b', { text: s.id }), ' · ' + T.gain + ' +' + fmt(s.gain_m2) + ' ' + T.m2 +
        ' · (' + fmt(s.position[0]) + ', ' + fmt(s.position[1]) + ') · ' + T.heading + ' ' + fmt(s.heading_deg, 0) + '°'));
    });
    if (!plan.suggestions.length) ul.appendChild(h('li', { class: 'muted', text: T.no_suggestions }));
    box.appendChild(ul);
    if (plan.suggestions.length && state.data.can.accept) {
      box.appendChild(h('button', { type: 'button', class: 'primary', id: 'btn-accept', text: T.accept_all, onclick: function (e) {
        e.target.disabled = true;
        api('POST', state.data.urls.accept, { suggestions: plan.suggestions.map(function (s) { var c = Object.assign({}, s); delete c.footprints; return c; }) })
          .then(function () {
            say(T.accepted, 'ok');
            if (state.ghosts) { map.removeLayer(state.ghosts); state.ghosts = null; }
            document.getElementById('opt-planned').checked = true;
            clear(box);
            return reload();
          }).catch(function (err) { e.target.disabled = false; say(err.message, 'error'); });
      } }));
    }
  }

  document.getElementById('plan-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = e.target;
    var body = { k: parseInt(f.elements.k.value, 10), level: f.elements.level.value,
      hfov: Number(f.elements.hfov.value), height: Number(f.elements.height.value), tilt: Number(f.elements.tilt.value) };
    var btn = f.querySelector('button[type=submit]');
    btn.disabled = true;
    say(T.planning, 'info');
    api('POST', state.data.urls.plan, body).then(function (plan) { say(''); renderPlan(plan); })
      .catch(function (err) { say(err.status === 503 ? T.planner_missing : err.message, 'error'); })
      .then(function () { btn.disabled = false; });
  });

  // ---------------------------------------------------------------- loading
  // the compare switch: draw the other coverage model (?model=), show the ratios of both
  function modelParam() {
    var box = document.getElementById('opt-model');
    return box && box.checked ? '&model=' + encodeURIComponent(box.value) : '';
  }

  function loadCoverage() {
    var planned = document.getElementById('opt-planned').checked ? 1 : 0;
    return api('GET', state.data.urls.coverage + '?planned=' + planned + modelParam()).then(function (cov) {
      state.coverage = cov;
      drawCoverage(cov);
    });
  }

  function reload() {
    return api('GET', el.getAttribute('data-src')).then(function (data) {
      state.data = data;
      drawDevices(data.devices);
      return loadCoverage();
    }).catch(function (err) { say(err.message, 'error'); });
  }

  document.getElementById('btn-analyze').addEventListener('click', function () {
    say(T.analyzing, 'info');
    showTab('tab-coverage');
    loadCoverage().then(function () { say(''); }).catch(function (err) { say(err.message, 'error'); });
  });
  document.getElementById('opt-model').addEventListener('change', function () {
    say(T.analyzing, 'info');
    loadCoverage().then(function () { say(''); }).catch(function (err) { say(err.message, 'error'); });
  });
  document.getElementById('opt-planned').addEventListener('change', function () {
    loadCoverage();
    el.dispatchEvent(new CustomEvent('camwatch:planned'));
  });

  api('GET', el.getAttribute('data-src')).then(function (data) {
    state.data = data;
    var b = data.bounds;
    map.fitBounds(L.latLngBounds(L.latLng(b[0][0], b[0][1]), L.latLng(b[1][0], b[1][1])), { padding: [12, 12] });
    drawPlan(data.plan);
    drawDevices(data.devices);
    new Legend().addTo(map);
    setupLegendSync();
    setupLabels();
    if (data.can.edit || data.can.plan_devices) {
      document.getElementById('add-tools').classList.remove('hidden');
      if (!data.can.edit) {
        var sel = document.getElementById('add-kind');
        sel.value = 'camera';
        sel.disabled = true;
        var st = document.getElementById('add-status');
        if (st) { st.value = 'planned'; st.disabled = true; }
      }
    }
    if (data.can.plan) document.getElementById('tab-plan-btn').classList.remove('hidden');
    return loadCoverage();
  }).then(function () {
    showFocus();  // after the coverage layers, so it is drawn on top
    el.setAttribute('data-ready', '1');
    el.dispatchEvent(new CustomEvent('camwatch:ready'));
  }).catch(function (err) { say(err.message, 'error'); });

  window.addEventListener('resize', function () { map.invalidateSize(); });
  // for scripted use (browser tests, the console): the map and the site→screen conversion
  window.camwatch = {
    map: map,
    screenPoint: function (x, y) { var p = map.latLngToContainerPoint(ll(x, y)); return [p.x, p.y]; },
    // for map_planners.js (the planners' layers and the target plan)
    T: T, h: h, clear: clear, say: say, api: api, ll: ll, fmt: fmt, pct: pct, tip: tip,
    data: function () { return state.data; },
    planned: function () { return document.getElementById('opt-planned').checked; },
    addOverlay: function (name, layer) { overlays[name] = layer; rebuildLayerControl(); },
    renderPlan: renderPlan
  };
})();
