/* The compound map's legend and the names drawn on the map (docs/web.md "The map":
 * the legend says which layers are shown; names on the map).
 */
(function () {
  'use strict';

  var cw = window.camwatch, map = cw.map, state = cw.state, T = cw.T, h = cw.h, LEVELS = cw.LEVELS;
  var overlays = cw.overlays;

  // ---------------------------------------------------------------- legend
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

  Object.assign(cw, {
    Legend: Legend, syncLegend: syncLegend, setupLegendSync: setupLegendSync,
    refreshLabels: refreshLabels, setupLabels: setupLabels
  });
})();
