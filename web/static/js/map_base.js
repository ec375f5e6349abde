/* camwatch compound map: what its scripts share (loaded first).
 *
 * Leaflet with CRS.Simple: one map unit = one metre of the site plan.
 * GeoJSON positions are [x, y] and Leaflet's GeoJSON layer reads them as
 * (lng = x, lat = y); points made by hand must be L.latLng(y, x) — see ll().
 * Headings are compass bearings: 0 = +y (up), 90 = +x (right), clockwise.
 *
 * No inline scripts or styles (CSP): strings come from the JSON block #i18n,
 * element styles are set through the DOM, and user data is inserted with
 * textContent only.
 *
 * The page's scripts, in the order compounds/map.html loads them: map_base.js
 * (this: strings, helpers, the Leaflet map, the layer control), map_layers.js
 * (plan, devices, coverage), map_legend.js (legend, names on the map),
 * map_summary.js (the coverage tab), map_edit.js (selection, moving, turning,
 * adding), map_device.js (the device tab), map_plan.js (the plan tab), map.js
 * (loads the compound and starts), map_planners.js (the planners' layers).
 * They share one global, window.camwatch: the helpers and the map's state
 * set below, and the functions each script adds for the others.
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

  var h = window.camwatchDom.h;  // dom.js, loaded before this file
  var clear = window.camwatchDom.clear;

  var say = window.camwatchDom.teller(statusBox);

  function api(method, url, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.headers['X-CSRFToken'] = CSRF;
      opts.body = JSON.stringify(body);
    } else if (method !== 'GET') {
      opts.headers['X-CSRFToken'] = CSRF;
    }
    return fetch(url, opts).then(window.camwatchDom.answer);
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

  // Tooltips are built from text nodes, never from HTML strings: names of buildings,
  // zones, gates and alarm lines come from site files and users (docs/web.md, "Security").
  function tip(text) {
    var node = document.createElement('span');
    node.textContent = String(text);
    return node;
  }

  // ---------------------------------------------------------------- layer control
  var overlays = {};
  var layerControl = null;
  function rebuildLayerControl() {
    if (layerControl) map.removeControl(layerControl);
    layerControl = L.control.layers(null, overlays, { collapsed: true, position: 'topright' }).addTo(map);
  }

  // the compare switch: draw the other coverage model (?model=), show the ratios of both
  function modelParam() {
    var box = document.getElementById('opt-model');
    return box && box.checked ? '&model=' + encodeURIComponent(box.value) : '';
  }

  window.camwatch = {
    // for scripted use (browser tests, the console): the map and the site→screen conversion
    map: map,
    screenPoint: function (x, y) { var p = map.latLngToContainerPoint(ll(x, y)); return [p.x, p.y]; },
    // for map_planners.js (the planners' layers and the target plan)
    T: T, h: h, clear: clear, say: say, api: api, ll: ll, fmt: fmt, pct: pct, tip: tip,
    data: function () { return state.data; },
    planned: function () { return document.getElementById('opt-planned').checked; },
    addOverlay: function (name, layer) { overlays[name] = layer; rebuildLayerControl(); },
    // for the map's other scripts
    el: el, state: state, LEVELS: LEVELS, LEVEL_STYLE: LEVEL_STYLE, xy: xy, showTab: showTab,
    overlays: overlays, rebuildLayerControl: rebuildLayerControl, modelParam: modelParam
  };
})();
