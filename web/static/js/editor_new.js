/* camwatch: new compound from a DXF drawing, a scanned plan, a site file or an empty canvas
 * (docs/web.md, "New compound"). Upload → the server returns a draft (nothing is
 * written) → the draft is shown on a map with the DXF's per-layer report, whose
 * kinds can be changed and converted again → create → the plan editor opens.
 */
(function () {
  'use strict';

  var CW = window.CW, T = CW.T, h = CW.h, clear = CW.clear;
  var URLS = JSON.parse(document.getElementById('new-urls').textContent);
  var form = document.getElementById('new-form');
  var errBox = document.getElementById('draft-error');
  var check = document.getElementById('check');
  var report = document.getElementById('draft-report');
  var reconvert = document.getElementById('btn-reconvert');
  var state = { draft: null, map: null, layers: null, points: [], imageUrl: null, mapping: {} };

  function source() { return form.querySelector('input[name=source]:checked').value; }
  function step(n) {
    document.querySelectorAll('#steps li').forEach(function (li) {
      li.classList.toggle('on', Number(li.getAttribute('data-step')) === n);
    });
  }
  function showError(message) {
    errBox.textContent = message;
    errBox.classList.toggle('hidden', !message);
  }

  form.querySelectorAll('input[name=source]').forEach(function (r) {
    r.addEventListener('change', function () {
      form.querySelectorAll('.src').forEach(function (s) {
        s.classList.toggle('hidden', s.getAttribute('data-src') !== source());
      });
      state.mapping = {};
      showError('');
    });
  });

  // ---------------------------------------------------------------- image scale points
  var imgInput = document.getElementById('file-image');
  var scaleBox = document.getElementById('scalebox');
  var scaleImg = document.getElementById('scale-img');
  var hint = document.getElementById('scale-hint');
  imgInput.addEventListener('change', function () {
    var file = imgInput.files[0];
    state.points = [];
    drawPoints();
    if (!file) { scaleBox.classList.add('hidden'); return; }
    var reader = new FileReader();
    reader.onload = function () {
      state.imageUrl = reader.result;
      scaleImg.src = reader.result;
      scaleBox.classList.remove('hidden');
      hint.textContent = T.scale_first;
    };
    reader.readAsDataURL(file);
  });
  scaleImg.addEventListener('click', function (e) {
    var r = scaleImg.getBoundingClientRect();
    var k = scaleImg.naturalWidth / r.width;
    if (state.points.length >= 2) state.points = [];
    state.points.push([(e.clientX - r.left) * k, (e.clientY - r.top) * k]);
    drawPoints();
    hint.textContent = state.points.length === 1 ? T.scale_second : T.scale_ready;
    if (state.points.length === 2) document.getElementById('scale-metres').focus();
  });
  function drawPoints() {
    scaleBox.querySelectorAll('.pt').forEach(function (p) { p.remove(); });
    var k = scaleImg.naturalWidth ? scaleImg.clientWidth / scaleImg.naturalWidth : 1;
    state.points.forEach(function (p) {
      var dot = h('span', { class: 'pt' });
      dot.style.left = (p[0] * k) + 'px';
      dot.style.top = (p[1] * k) + 'px';
      scaleBox.appendChild(dot);
    });
    ['x1', 'y1', 'x2', 'y2'].forEach(function (name, i) {
      var p = state.points[i >> 1];
      form.querySelector('input[name=' + name + ']').value = p ? p[i & 1].toFixed(1) : '';
    });
  }

  // ---------------------------------------------------------------- draft
  function body() {
    var src = source();
    var fd = new FormData();
    fd.append('source', src);
    fd.append('code', document.getElementById('new-code').value.trim());
    var file = document.getElementById('file-' + src);
    if (file && file.files[0]) fd.append('file', file.files[0]);
    var fields = { dxf: ['units'], image: ['x1', 'y1', 'x2', 'y2', 'metres'], empty: ['width', 'height'] }[src] || [];
    fields.forEach(function (name) { fd.append(name, form.querySelector('[name=' + name + ']').value); });
    if (src === 'dxf' && Object.keys(state.mapping).length) fd.append('mapping', JSON.stringify(state.mapping));
    return fd;
  }

  function read() {
    showError('');
    CW.request('POST', URLS.draft, body(), true).then(function (draft) {
      state.draft = draft;
      check.classList.remove('hidden');
      step(2);
      showReport(draft);
      showMap(draft);
      check.scrollIntoView({ block: 'start' });
    }).catch(function (err) {
      check.classList.add('hidden');
      state.draft = null;
      step(1);
      showError(err.message);
    });
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); state.mapping = {}; read(); });
  reconvert.addEventListener('click', function () {
    report.querySelectorAll('select[data-layer]').forEach(function (sel) {
      if (sel.value) state.mapping[sel.getAttribute('data-layer')] = sel.value;
    });
    read();
  });

  function counts(obj) {
    return Object.keys(obj || {}).map(function (k) { return obj[k] + ' ' + (T.kinds[k] || k); }).join(', ');
  }

  function showReport(draft) {
    clear(report);
    var n = draft.site.features.length;
    var kinds = {};
    draft.site.features.forEach(function (f) { kinds[f.properties.kind] = (kinds[f.properties.kind] || 0) + 1; });
    report.appendChild(h('p', { class: 'okbox', id: 'draft-ok', text: T.draft_ready }));
    report.appendChild(h('p', { class: 'small' }, h('b', { text: n + ' ' + T.features }), ' · ' + counts(kinds)));
    reconvert.classList.toggle('hidden', !draft.layers);
    if (draft.layers) {
      var table = h('table', { class: 'table compact layertable', id: 'layer-table' },
        h('thead', null, h('tr', null, h('th', { text: T.layer }), h('th', { text: T.kind }), h('th', { text: T.read }), h('th', { text: T.written }))));
      var tbody = h('tbody');
      draft.layers.forEach(function (row) {
        var sel = h('select', { 'data-layer': row.layer, 'aria-label': row.layer });
        sel.appendChild(h('option', { value: '', text: T.not_mapped }));
        draft.kinds.forEach(function (k) {
          sel.appendChild(h('option', { value: k, text: T.kinds[k] || k, selected: k === row.kind ? 'selected' : null }));
        });
        var read = Object.keys(row.read).reduce(function (a, k) { return a + row.read[k]; }, 0);
        var ignored = Object.keys(row.ignored).reduce(function (a, k) { return a + row.ignored[k]; }, 0);
        tbody.appendChild(h('tr', null, h('td', { text: row.layer }), h('td', null, sel),
          h('td', { class: 'num', text: String(read) + (ignored ? ' (' + T.ignored + ' ' + ignored + ')' : '') }),
          h('td', { text: counts(row.written) })));
      });
      table.appendChild(tbody);
      report.appendChild(h('div', { class: 'tablewrap' }, table));
    }
    if (draft.warnings && draft.warnings.length) {
      report.appendChild(h('p', { class: 'errbox small', text: T.warnings + ': ' + draft.warnings.join('; ') }));
    }
  }

  function showMap(draft) {
    if (!state.map) {
      state.map = L.map('draftmap', { crs: L.CRS.Simple, minZoom: -6, maxZoom: 6, zoomSnap: 0.1, attributionControl: false });
      L.control.scale({ imperial: false, metric: true, maxWidth: 120, position: 'bottomleft' }).addTo(state.map);
    }
    state.map.invalidateSize();
    if (state.layers) state.map.removeLayer(state.layers);
    var layers = CW.featureLayers(draft.site);
    layers.forEach(function (l) {
      var p = l.feature.properties;
      if (p.name || p.id) l.bindTooltip(String(p.name || p.id), { sticky: true });
    });
    state.layers = L.featureGroup(layers);
    if (draft.px_per_m && state.imageUrl) {  // the scan under the traced draft
      state.layers.addLayer(L.imageOverlay(state.imageUrl, [[0, 0], [draft.height / draft.px_per_m, draft.width / draft.px_per_m]], { opacity: 0.5 }));
    }
    state.layers.addTo(state.map);
    CW.fitTo(state.map, layers, 20);
  }

  // ---------------------------------------------------------------- create
  document.getElementById('btn-create').addEventListener('click', function () {
    if (!state.draft) return;
    step(3);
    CW.request('POST', URLS.create, {
      code: document.getElementById('new-code').value.trim(), name: document.getElementById('new-name').value.trim(), site: state.draft.site
    }).then(function (res) {
      showError('');
      step(4);
      report.insertBefore(h('p', { class: 'okbox', text: T.created }), report.firstChild);
      window.location.assign(res.editor);
    }).catch(function (err) {
      step(2);
      showError(err.message);
      errBox.scrollIntoView({ block: 'center' });
    });
  });
})();
