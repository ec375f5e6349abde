/* The compound map's layers: the site plan, the devices (markers and lines), the
 * coverage levels and blind spots, a finding in focus (map_base.js says how the
 * map's scripts fit together).
 */
(function () {
  'use strict';

  var cw = window.camwatch, map = cw.map, state = cw.state, T = cw.T;
  var el = cw.el, ll = cw.ll, fmt = cw.fmt, pct = cw.pct, tip = cw.tip;
  var overlays = cw.overlays, rebuildLayerControl = cw.rebuildLayerControl;
  var LEVELS = cw.LEVELS, LEVEL_STYLE = cw.LEVEL_STYLE;

  // ---------------------------------------------------------------- plan
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
        layer.on('dragstart', function () { cw.removeHandle(); });
        layer.on('drag', function () { if (state.selected === p.id) cw.moveFootprintPreview(); });
        layer.on('dragend', function () { cw.moveDevice(p, layer.getLatLng()); });
      } else {
        var latlngs = g.coordinates.map(function (c) { return ll(c[0], c[1]); });
        layer = L.polyline(latlngs, {
          pane: 'devices', weight: p.kind === 'alarm' ? 4 : 6,
          color: p.kind === 'alarm' ? '#c93a32' : '#1d5fa7', dashArray: p.kind === 'alarm' ? '6 4' : null,
          opacity: p.status === 'active' ? 0.9 : 0.45
        });
        layer.bindTooltip(tip(deviceLabel(p)), { sticky: true, className: 'tip' });
      }
      layer.on('click', function (e) { L.DomEvent.stopPropagation(e); cw.select(p.id); });
      layer.feature = f;
      group.addLayer(layer);
      state.markers[p.id] = layer;
    });
    if (state.selected && state.markers[state.selected]) cw.select(state.selected, true);
  }

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
    cw.refreshLabels();
    cw.syncLegend();
    cw.renderSummary(cov.summary);
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

  Object.assign(cw, {
    drawPlan: drawPlan, drawDevices: drawDevices, drawCoverage: drawCoverage, showFocus: showFocus,
    cameraIcon: cameraIcon, deviceIcon: deviceIcon, rotate: rotate, canEdit: canEdit,
    zoomToSpot: zoomToSpot, zoomToZone: zoomToZone
  });
})();
