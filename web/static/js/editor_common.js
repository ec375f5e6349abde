/* camwatch plan editor: helpers shared by the editor and the new-compound page.
 *
 * Leaflet CRS.Simple, one map unit = one metre; GeoJSON positions are [x, y]
 * (lng = x, lat = y). No inline scripts or styles (CSP): strings come from the
 * JSON block #i18n and user data is inserted with textContent only.
 */
(function () {
  'use strict';

  var T = JSON.parse(document.getElementById('i18n').textContent);
  var CSRF = document.querySelector('meta[name=csrf-token]').getAttribute('content');

  var STYLE = {
    boundary: { color: '#c93a32', weight: 2.5, dashArray: '8 5', fill: true, fillColor: '#c93a32', fillOpacity: 0.03 },
    building: { color: '#4a5561', weight: 1.5, fillColor: '#9aa3ad', fillOpacity: 0.6 },
    obstacle: { color: '#8a6d3b', weight: 1.5, fillColor: '#c9a96b', fillOpacity: 0.55 },
    wall: { color: '#2b2f36', weight: 4 },
    zone: { color: '#1d7fb8', weight: 1.5, dashArray: '4 4', fillColor: '#4aa3d8', fillOpacity: 0.12 },
    gate: { color: '#1d5fa7', weight: 4, radius: 7, fillColor: '#fff', fillOpacity: 1 },
    alarm: { color: '#c93a32', weight: 3, dashArray: '2 5', radius: 6, fillColor: '#fff', fillOpacity: 1 },
    mount: { color: '#7b4cc2', weight: 3, radius: 6, fillColor: '#efe8fa', fillOpacity: 1 },
    camera: { color: '#2c9a6b', weight: 3, radius: 5, fillColor: '#fff', fillOpacity: 1 },
    intercom: { color: '#c47f12', weight: 3, radius: 5, fillColor: '#fff', fillOpacity: 1 }
  };

  var h = window.camwatchDom.h;  // dom.js, loaded before this file
  var clear = window.camwatchDom.clear;

  function request(method, url, body, isForm) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (method !== 'GET') opts.headers['X-CSRFToken'] = CSRF;
    if (isForm) opts.body = body;
    else if (body !== undefined) { opts.headers['Content-Type'] = 'application/json'; opts.body = JSON.stringify(body); }
    return fetch(url, opts).then(window.camwatchDom.answer);
  }

  function styleFor(kind) { return L.extend({}, STYLE[kind] || STYLE.building); }

  /* A GeoJSON layer of site features, each Leaflet layer keeping its feature. */
  function featureLayers(collection, options) {
    var out = [];
    L.geoJSON(collection, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, styleFor(f.properties.kind)); },
      style: function (f) { return styleFor(f.properties.kind); },
      onEachFeature: function (f, layer) {
        L.setOptions(layer, options || {});
        out.push(layer);
      }
    });
    return out;
  }

  function round3(v) { return Math.round(v * 1000) / 1000; }
  function roundCoords(c) { return typeof c === 'number' ? round3(c) : c.map(roundCoords); }

  function pct(r) { return (r * 100).toFixed(1) + ' %'; }
  function m2(v) { return Math.round(v).toLocaleString() + ' ' + T.m2; }

  function fitTo(map, layers, pad) {
    var group = L.featureGroup(layers);
    var b = group.getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [pad || 20, pad || 20] });
  }

  /* file inputs are hidden behind a translated button (the browser's own says "Choose File"):
     clicking the label opens the picker; the chosen name is shown beside it */
  document.querySelectorAll('.filepick input[type=file]').forEach(function (input) {
    var name = input.parentNode.querySelector('.filename');
    var empty = name.textContent;
    input.addEventListener('change', function () {
      name.textContent = input.files[0] ? input.files[0].name : empty;
    });
  });

  window.CW = {
    T: T, STYLE: STYLE, h: h, clear: clear, request: request, styleFor: styleFor,
    featureLayers: featureLayers, roundCoords: roundCoords, pct: pct, m2: m2, fitTo: fitTo
  };
})();
