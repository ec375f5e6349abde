/* camwatch plan editor (docs/web.md, "Plan editor").
 *
 * Geoman (vendored, web/static/vendor/geoman) draws and edits the plan's
 * features with snapping to existing vertices; each Leaflet layer keeps its
 * site feature in layer.feature. Every change pushes a snapshot of the plan on
 * an edit stack (undo pops it). Save sends the plan's features with the
 * compound version the page loaded; the server checks them with the site
 * loader (400 names the feature), refuses a stale version (409, with the
 * current plan, which is then shown) and re-analyses coverage.
 *
 * The image underlay (editor_underlay.js) stays in the browser (a data: URL,
 * never uploaded): calibrate by clicking two points and typing their distance,
 * move by clicking a point of the image and where it belongs.
 */
(function () {
  'use strict';

  var CW = window.CW, T = CW.T, h = CW.h, clear = CW.clear;
  var el = document.getElementById('map');
  var statusBox = document.getElementById('status');
  var propsBox = document.getElementById('props');
  var summaryBox = document.getElementById('summary');
  var saveMsg = document.getElementById('save-msg');
  var undoBtn = document.getElementById('btn-undo');
  var dirtyBox = document.getElementById('dirty');
  var SHAPE = {
    boundary: 'Polygon', building: 'Polygon', obstacle: 'Polygon', zone: 'Polygon',
    wall: 'Line', alarm: 'Line', gate: 'CircleMarker', mount: 'CircleMarker'
  };
  var state = {
    data: null, version: null, layers: [], history: [], saved: null,
    drawing: null, drawingButton: null, selected: null, spots: null, devices: null, underlay: null, clicks: null
  };

  var say = window.camwatchDom.teller(statusBox);

  var map = L.map(el, {
    crs: L.CRS.Simple, minZoom: -6, maxZoom: 6, zoomSnap: 0.1, zoomDelta: 0.5, attributionControl: false
  });
  L.control.scale({ imperial: false, metric: true, maxWidth: 160, position: 'bottomleft' }).addTo(map);
  var underPane = map.createPane('underlay');
  underPane.style.zIndex = '250';
  var spotPane = map.createPane('spots');
  spotPane.style.zIndex = '350';
  spotPane.style.pointerEvents = 'none';

  map.pm.setLang(T.lang === 'zh' ? 'zh' : 'en');
  map.pm.setGlobalOptions({ snappable: true, snapDistance: 15, allowSelfIntersection: false });
  map.pm.addControls({
    position: 'topleft', drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawRectangle: false,
    drawPolygon: false, drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false
  });

  // ---------------------------------------------------------------- plan <-> layers
  function serialize() {
    return state.layers.map(function (layer) {
      var geom = layer.toGeoJSON(6).geometry;
      return {
        type: 'Feature',
        properties: JSON.parse(JSON.stringify(layer.feature.properties)),
        geometry: { type: geom.type, coordinates: CW.roundCoords(geom.coordinates) }
      };
    });
  }

  function attach(layer) {
    layer.on('click', function (e) {
      if (map.pm.globalRemovalModeEnabled() || state.drawing) return;
      L.DomEvent.stopPropagation(e);
      if (state.clicks) { state.clickDone(e.latlng); return; }  // calibrating the underlay
      select(layer);
    });
    layer.on('pm:edit', changed);
    state.layers.push(layer);
    layer.addTo(map);
  }

  function build(features) {
    var editing = map.pm.globalEditModeEnabled();
    if (editing) map.pm.disableGlobalEditMode();
    state.layers.forEach(function (layer) { map.removeLayer(layer); });
    state.layers = [];
    CW.featureLayers({ type: 'FeatureCollection', features: features }).forEach(attach);
    if (editing) map.pm.enableGlobalEditMode();
    select(null);
  }

  function showDevices(devices) {
    if (state.devices) map.removeLayer(state.devices);
    state.devices = L.featureGroup(CW.featureLayers(devices, { pmIgnore: true, snapIgnore: true, interactive: false }));
    state.devices.addTo(map);
  }

  function snapshot() { return JSON.stringify(serialize()); }

  function markDirty() {
    var dirty = snapshot() !== state.saved;
    dirtyBox.textContent = dirty ? T.unsaved : T.all_saved;
    dirtyBox.className = 'small ' + (dirty ? 'dirty' : 'muted');
    undoBtn.disabled = state.history.length < 2;
  }

  function changed() {
    clear(saveMsg);
    var snap = snapshot();
    if (snap !== state.history[state.history.length - 1]) state.history.push(snap);
    markDirty();
  }

  function resetHistory() {
    state.saved = snapshot();
    state.history = [state.saved];
    markDirty();
  }

  function undo() {
    if (state.history.length < 2) { say(T.nothing_to_undo); return; }
    state.history.pop();
    build(JSON.parse(state.history[state.history.length - 1]));
    markDirty();
    say(T.undone);
  }
  undoBtn.addEventListener('click', undo);
  document.addEventListener('keydown', function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === 'z' && !/INPUT|TEXTAREA|SELECT/.test(e.target.tagName)) {
      e.preventDefault(); undo();
    }
  });

  // ---------------------------------------------------------------- drawing
  function nextName(kind) {
    var n = state.layers.filter(function (l) { return l.feature.properties.kind === kind; }).length + 1;
    var names = {};
    state.layers.forEach(function (l) { names[l.feature.properties.name] = true; });
    while (names[T.kinds[kind] + ' ' + n]) n++;
    return T.kinds[kind] + ' ' + n;
  }

  function defaults(kind) {
    var p = { kind: kind };
    if (kind === 'building') { p.name = nextName(kind); p.height_m = 10; }
    if (kind === 'obstacle') p.height_m = 2;
    if (kind === 'wall') p.thickness_m = 0.2;
    if (kind === 'zone') { p.name = nextName(kind); p.zone_type = 'other'; }
    return p;
  }

  // a button draws its kind's shape, or the one it names (data-shape: a mount line)
  var drawButtons = document.querySelectorAll('#draw-buttons [data-kind]');
  function shapeOf(b) { return b.getAttribute('data-shape') || SHAPE[b.getAttribute('data-kind')]; }
  function markDrawing(button) {
    drawButtons.forEach(function (b) { b.classList.toggle('on', b === button); });
  }
  drawButtons.forEach(function (b) {
    b.addEventListener('click', function () {
      var kind = b.getAttribute('data-kind'), shape = shapeOf(b);
      map.pm.disableDraw();
      if (state.drawingButton === b) { state.drawing = state.drawingButton = null; markDrawing(null); return; }
      state.drawing = kind;
      state.drawingButton = b;
      markDrawing(b);
      map.pm.enableDraw(shape, {
        snappable: true, snapDistance: 15, finishOn: shape === 'Line' ? 'dblclick' : null,
        pathOptions: CW.styleFor(kind), templineStyle: CW.styleFor(kind), hintlineStyle: { color: '#1d5fa7', dashArray: '4 4' }
      });
      say(shape === 'CircleMarker' ? T.point_hint : T.draw_hint);
    });
  });

  map.on('pm:create', function (e) {
    var kind = state.drawing;
    say('');
    state.drawing = state.drawingButton = null;
    markDrawing(null);
    map.removeLayer(e.layer);
    if (!kind) return;
    var geo = e.layer.toGeoJSON(6);
    var feature = { type: 'Feature', properties: defaults(kind), geometry: geo.geometry };
    if (kind === 'boundary') {  // a site has one boundary: the new one replaces it
      state.layers.filter(function (l) { return l.feature.properties.kind === 'boundary'; }).forEach(function (l) {
        map.removeLayer(l);
        state.layers.splice(state.layers.indexOf(l), 1);
      });
    }
    var layer = CW.featureLayers({ type: 'FeatureCollection', features: [feature] })[0];
    attach(layer);
    if (map.pm.globalEditModeEnabled()) { map.pm.disableGlobalEditMode(); map.pm.enableGlobalEditMode(); }
    changed();
    select(layer);
  });
  map.on('pm:drawend', function () { if (state.drawing) { state.drawing = state.drawingButton = null; markDrawing(null); } });
  map.on('pm:remove', function (e) {
    var i = state.layers.indexOf(e.layer);
    if (i >= 0) state.layers.splice(i, 1);
    if (state.selected === e.layer) select(null);
    changed();
  });

  // ---------------------------------------------------------------- properties
  function select(layer) {
    if (state.selected && state.selected.setStyle) state.selected.setStyle(CW.styleFor(state.selected.feature.properties.kind));
    state.selected = layer;
    clear(propsBox);
    if (!layer) { propsBox.appendChild(h('p', { class: 'muted small', text: T.select_hint })); return; }
    if (layer.setStyle) layer.setStyle({ color: '#1d5fa7', weight: 3.5 });
    propsBox.appendChild(propForm(layer));
  }

  function field(label, input) { return h('label', null, label, ' ', input); }
  function options(sel, values, labels, current) {
    values.forEach(function (v) { sel.appendChild(h('option', { value: v, text: labels[v] || v, selected: v === (current || '') ? 'selected' : null })); });
    return sel;
  }

  function propForm(layer) {
    var p = layer.feature.properties;
    var kind = p.kind;
    var inputs = {};
    var seeThrough = null;
    var form = h('form', { class: 'propform stack', id: 'prop-form' });
    form.appendChild(h('p', null, h('b', { text: T.kinds[kind] || kind })));
    var row = h('div', { class: 'row' });
    if (kind !== 'boundary') {
      inputs.name = h('input', { name: 'name', type: 'text', value: p.name === undefined || p.name === null ? '' : String(p.name) });
      row.appendChild(field(T.name, inputs.name));
    }
    if (kind === 'building' || kind === 'obstacle' || kind === 'wall') {
      // empty: the kind's default height (docs/site-format.md §4), shown as the placeholder
      inputs.height_m = h('input', { name: 'height_m', type: 'number', step: 'any', min: '0', placeholder: String(T.default_heights[kind]), value: p.height_m === undefined || p.height_m === null ? '' : String(p.height_m) });
      row.appendChild(field(T.height_m, inputs.height_m));
    }
    if (kind === 'wall') {
      inputs.thickness_m = h('input', { name: 'thickness_m', type: 'number', step: 'any', min: '0', value: p.thickness_m === undefined || p.thickness_m === null ? '' : String(p.thickness_m) });
      row.appendChild(field(T.thickness_m, inputs.thickness_m));
      seeThrough = h('input', { name: 'see_through', type: 'checkbox', checked: p.see_through === true ? 'checked' : null });
      row.appendChild(h('label', { class: 'check', title: T.see_through_hint }, seeThrough, ' ', T.see_through));
    }
    if (kind === 'zone') {
      inputs.zone_type = options(h('select', { name: 'zone_type' }), Object.keys(T.zone_types), T.zone_types, p.zone_type || 'other');
      inputs.required_level = options(h('select', { name: 'required_level' }), Object.keys(T.levels), T.levels, p.required_level || '');
      row.appendChild(field(T.zone_type, inputs.zone_type));
      row.appendChild(field(T.required_level, inputs.required_level));
    }
    form.appendChild(row);
    var actions = h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'small primary', text: T.apply }),
      h('button', {
        type: 'button', class: 'small', text: T.delete, onclick: function () {
          map.removeLayer(layer);
          state.layers.splice(state.layers.indexOf(layer), 1);
          select(null);
          changed();
        }
      }));
    form.appendChild(actions);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (seeThrough) {
        if (seeThrough.checked) p.see_through = true; else delete p.see_through;
      }
      Object.keys(inputs).forEach(function (key) {
        var raw = inputs[key].value.trim();
        if (raw === '') { delete p[key]; return; }
        if (key === 'height_m' || key === 'thickness_m') {
          var n = Number(raw);
          p[key] = isFinite(n) ? n : raw;  // a non-number is refused by the server, naming the feature
        } else p[key] = raw;
      });
      changed();
    });
    return form;
  }

  // ---------------------------------------------------------------- save, analysis
  function showSummary(summary) {
    clear(summaryBox);
    if (!summary) return;
    var det = summary.levels.detection;
    var blind = summary.blind_spots.reduce(function (a, s) { return a + s.area_m2; }, 0);
    [[T.monitored, CW.m2(summary.monitored_area_m2)], [T.coverage, CW.pct(det.ratio)],
      [T.blind_area, summary.blind_spots.length + ' · ' + CW.m2(blind)]].forEach(function (r) {
      summaryBox.appendChild(h('div', { class: 'sumline' }, h('span', { text: r[0] }), h('b', { text: r[1] })));
    });
  }

  function loadSpots() {
    if (!state.data) return;
    CW.request('GET', state.data.urls.coverage).then(function (cov) {
      if (state.spots) map.removeLayer(state.spots);
      state.spots = L.geoJSON(cov.blind_spots, {
        pane: 'spots', interactive: false, pmIgnore: true, snapIgnore: true,
        style: { color: '#c93a32', weight: 1, fillColor: '#e5534b', fillOpacity: 0.35 }
      }).addTo(map);
      showSummary(cov.summary);
    }).catch(function () { /* the plan may not be analysable yet: the save answer said why */ });
  }

  function showError(err) {
    clear(saveMsg).appendChild(h('div', { class: 'errbox', id: 'save-error', text: err.message }));
    var info = err.body && err.body.error;
    if (info && typeof info.feature === 'number' && state.layers[info.feature]) {
      var layer = state.layers[info.feature];
      select(layer);
      if (layer.getBounds) map.fitBounds(layer.getBounds(), { maxZoom: map.getZoom() + 1, padding: [60, 60] });
      else if (layer.getLatLng) map.panTo(layer.getLatLng());
    }
  }

  document.getElementById('btn-save').addEventListener('click', function () {
    say(T.saving);
    CW.request('POST', state.data.urls.save, { version: state.version, features: serialize() }).then(function (res) {
      state.version = res.version;
      build(res.plan.features);
      resetHistory();
      say(res.message, 'ok');
      clear(saveMsg).appendChild(h('div', { class: 'okbox', id: 'save-ok', text: res.message }));
      showSummary(res.summary);
      loadSpots();
    }).catch(function (err) {
      if (err.status === 409 && err.body && err.body.current) {
        var mine = serialize();
        apply(err.body.current);
        say(err.message, 'conflict');
        // their version is shown; mine can be brought back on top of it (then saving
        // replaces theirs, knowingly)
        clear(saveMsg).appendChild(h('div', { class: 'errbox', id: 'save-conflict' },
          h('p', { text: err.message + ' ' + T.conflict_loaded }),
          h('button', {
            type: 'button', class: 'small', id: 'btn-reapply', text: T.reapply, onclick: function () {
              build(mine);
              changed();
              clear(saveMsg);
            }
          })));
        return;
      }
      say(err.message, 'error');
      showError(err);
    });
  });

  // ---------------------------------------------------------------- underlay (editor_underlay.js)
  CW.initUnderlay({ map: map, el: el, say: say, state: state });
  map.on('click', function (e) {
    if (state.clicks) { state.clickDone(e.latlng); return; }
    if (!state.drawing && !map.pm.globalRemovalModeEnabled()) select(null);
  });

  // ---------------------------------------------------------------- load
  function apply(data) {
    state.version = data.compound.version;
    build(data.plan.features);
    showDevices(data.devices);
    resetHistory();
  }

  say(T.loading);
  CW.request('GET', el.getAttribute('data-src')).then(function (data) {
    state.data = data;
    map.fitBounds(data.bounds, { padding: [30, 30] });
    apply(data);
    say('');
    loadSpots();
    el.setAttribute('data-ready', '1');
  }).catch(function (err) { say(T.error + ': ' + err.message, 'error'); });

  function screenPoint(x, y) {
    var p = map.latLngToContainerPoint(L.latLng(y, x));
    return [p.x, p.y];
  }
  window.camwatchEditor = { state: state, map: map, serialize: serialize, screenPoint: screenPoint };
})();
