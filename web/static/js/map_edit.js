/* The compound map's editing: selecting a device (its footprint, the heading
 * handle), moving, turning and adding devices, and the conflict note when
 * someone else changed the device first.
 */
(function () {
  'use strict';

  var cw = window.camwatch, map = cw.map, state = cw.state, T = cw.T, h = cw.h, el = cw.el;
  var say = cw.say, api = cw.api, xy = cw.xy, LEVELS = cw.LEVELS, LEVEL_STYLE = cw.LEVEL_STYLE;
  var showTab = cw.showTab, modelParam = cw.modelParam;

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
      if (cw.canEdit(p)) addHandle(layer, p);
    } else {
      clearFootprint();
    }
    if (!quiet) {
      showTab('tab-device');
      cw.loadDevice(id);
    }
  }

  function refreshIcon(id) {
    var layer = state.markers[id];
    if (!layer || !layer.setIcon) return;
    var p = layer.feature.properties;
    layer.setIcon(p.kind === 'camera' ? cw.cameraIcon(p) : cw.deviceIcon(p));
    if (p.kind === 'camera') cw.rotate(layer, p.heading);
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
      cw.rotate(marker, heading);
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
      return cw.reload().then(function () { select(p.id, true); if (document.getElementById('tab-device').classList.contains('on')) cw.renderDevice(fresh); });
    }).catch(function (err) {
      if (err.status === 409) {
        conflict(p, changes, err.body);
      } else {
        say(err.message, 'error');
      }
      return cw.reload();
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
    if (fresh) cw.renderDevice(fresh);
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
      return cw.reload().then(function () { select(dev.properties.id); });
    }).catch(function (err) { say(err.message, 'error'); });
  });

  Object.assign(cw, {
    select: select, removeHandle: removeHandle, moveFootprintPreview: moveFootprintPreview,
    moveDevice: moveDevice, patchDevice: patchDevice
  });
})();
