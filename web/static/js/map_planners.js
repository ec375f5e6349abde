/* The planners on the compound map (docs/web.md, "Planners on the map").
 *
 * Three layers in the layer control, off until switched on (then fetched once
 * per "with planned" setting): device suggestions with their reasons,
 * intruder routes, the patrol route. And the plan tab's target plan: a
 * background job on the server, polled for its progress, cancellable; its
 * result is drawn as ghost cameras by map_plan.js's renderPlan.
 *
 * Uses the helpers the map's scripts share on window.camwatch (map_base.js);
 * no inline script or style (CSP), user text through text nodes only.
 */
(function () {
  'use strict';

  var cw = window.camwatch;
  var el = document.getElementById('map');
  if (!cw || !el) return;
  var T = cw.T, h = cw.h, clear = cw.clear, ll = cw.ll;
  var POLL_MS = 700;
  // SVG, not the map's canvas: few lines, each a DOM element with its class and tooltip
  var svg = L.svg({ pane: 'ghosts' });

  // ---------------------------------------------------------------- layers
  function planned() { return cw.planned() ? 1 : 0; }

  function suggestionLayer(group, data) {
    data.suggestions.forEach(function (s) {
      var text = s.label + ' — ' + s.reason;
      var layer;
      if (s.geometry && s.geometry.length >= 2) {
        layer = L.polyline(s.geometry.map(function (c) { return ll(c[0], c[1]); }),
          { pane: 'ghosts', renderer: svg, color: '#e8590c', weight: 5, dashArray: '2 6', className: 'devsug-line' });
      } else {
        layer = L.marker(ll(s.position[0], s.position[1]), {
          title: text,
          icon: L.divIcon({ className: 'devsug-icon t-' + s.type, html: '<span>+</span>', iconSize: [22, 22], iconAnchor: [11, 11] })
        });
      }
      layer.bindTooltip(cw.tip(text), { sticky: true, className: 'tip' });
      group.addLayer(layer);
    });
    return data.suggestions.map(function (s) { return s.label + ' — ' + s.reason; });
  }

  function routeLayer(group, data) {
    var lines = [];
    data.routes.forEach(function (r) {
      lines.push(r.text);
      if (!r.reachable || !r.path || r.path.length < 2) return;
      var line = L.polyline(r.path.map(function (c) { return ll(c[0], c[1]); }),
        { pane: 'ghosts', renderer: svg, color: '#b0247a', weight: 3, className: 'route-line' });
      line.bindTooltip(cw.tip(r.text), { sticky: true, className: 'tip' });
      group.addLayer(line);
      var end = r.path[r.path.length - 1];
      group.addLayer(L.marker(ll(end[0], end[1]), {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: 'route-label', html: '', iconSize: [0, 0] })
      }).bindTooltip(cw.tip(r.id), { permanent: true, direction: 'right', className: 'tip route-id' }));
    });
    return lines;
  }

  function patrolLayer(group, data) {
    if (data.path && data.path.length >= 2) {
      var line = L.polyline(data.path.map(function (c) { return ll(c[0], c[1]); }),
        { pane: 'ghosts', renderer: svg, color: '#1d5fa7', weight: 3, dashArray: '10 6', className: 'patrol-line' });
      line.bindTooltip(cw.tip(data.text), { sticky: true, className: 'tip' });
      group.addLayer(line);
    }
    return [data.text];
  }

  var LAYERS = [
    { key: 'devsug', url: 'data-suggestions', name: T.device_suggestions, draw: suggestionLayer },
    { key: 'routes', url: 'data-routes', name: T.intruder_routes, draw: routeLayer },
    { key: 'patrol', url: 'data-patrol', name: T.patrol_route, draw: patrolLayer }
  ];

  function notesBox(spec) {
    var box = document.getElementById('planner-notes');
    var part = document.getElementById('notes-' + spec.key);
    if (!part) {
      part = h('div', { id: 'notes-' + spec.key, class: 'planner-part' });
      box.appendChild(part);
    }
    return clear(part);
  }

  function load(spec) {
    var want = planned();
    if (spec.loaded === want || spec.loading) return;
    spec.loading = true;
    var part = notesBox(spec);
    part.appendChild(h('p', { class: 'muted small', text: spec.name + ' · ' + T.loading }));
    cw.api('GET', el.getAttribute(spec.url) + '?planned=' + want).then(function (data) {
      spec.group.clearLayers();
      var lines = spec.draw(spec.group, data);
      clear(part).appendChild(h('h3', { text: spec.name + ' (' + lines.length + ')' }));
      var ul = h('ul', { class: 'plain small planner-list' });
      lines.forEach(function (t) { ul.appendChild(h('li', { text: t })); });
      if (!lines.length) ul.appendChild(h('li', { class: 'muted', text: T.none }));
      part.appendChild(ul);
      spec.loaded = want;
      el.setAttribute('data-layer-' + spec.key, String(lines.length));
    }).catch(function (err) {
      clear(part).appendChild(h('p', { class: 'flash error', text: spec.name + ': ' + err.message }));
    }).then(function () { spec.loading = false; });
  }

  LAYERS.forEach(function (spec) {
    spec.group = L.layerGroup();
    spec.loaded = null;
    spec.group.on('add', function () { load(spec); });
    spec.group.on('remove', function () { notesBox(spec); el.removeAttribute('data-layer-' + spec.key); });
  });

  el.addEventListener('camwatch:ready', function () {
    LAYERS.forEach(function (spec) { cw.addOverlay(spec.name, spec.group); });
  });
  el.addEventListener('camwatch:planned', function () {
    LAYERS.forEach(function (spec) { if (cw.map.hasLayer(spec.group)) load(spec); });
  });

  // ---------------------------------------------------------------- target plan job
  var form = document.getElementById('target-form');
  if (!form) return;
  var bar = document.getElementById('target-progress');
  var statusText = document.getElementById('target-status');
  var startBtn = document.getElementById('btn-target-start');
  var cancelBtn = document.getElementById('btn-target-cancel');
  var job = null, timer = null;

  function phaseText(j) {
    return (T['phase_' + j.phase] || j.phase) + ' · ' + Math.round(j.progress * 100) + ' %';
  }

  function show(j) {
    job = j;
    bar.value = Math.round(j.progress * 100);
    form.setAttribute('data-state', j.state);
    var running = j.state === 'running';
    bar.classList.toggle('hidden', !running);
    cancelBtn.classList.toggle('hidden', !running);
    cancelBtn.disabled = !!j.cancel_requested;
    startBtn.disabled = running;
    if (running) {
      statusText.textContent = j.cancel_requested ? T.cancelling : phaseText(j);
    } else if (j.state === 'done') {
      statusText.textContent = T.target_done;
      cw.renderPlan(j.result);
      unreached(j.result);
    } else if (j.state === 'cancelled') {
      statusText.textContent = T.target_cancelled;
    } else {
      statusText.textContent = T.target_failed + ': ' + (j.message || j.error || '');
    }
  }

  // what the plan could not reach, by zone and level, with the best share after the plan
  function unreached(plan) {
    var t = plan.target;
    if (!t || t.reached) return;
    var box = document.getElementById('plan-result');
    var ul = h('ul', { class: 'plain small', id: 'target-unreached' });
    (t.unreachable || []).forEach(function (u) {
      var what = u.zone ? T.zone + ' ' + u.zone : T.monitored;
      ul.appendChild(h('li', { text: what + ' · ' + (T[u.level] || u.level) + ' · ' + T.best + ' ' + cw.pct(u.best_ratio) }));
    });
    box.insertBefore(ul, box.firstChild);
    box.insertBefore(h('p', { class: 'flash warn', text: T.target_unreached }), ul);
  }

  function poll() {
    if (!job) return;
    cw.api('GET', job.url).then(function (j) {
      show(j);
      if (j.state === 'running') timer = setTimeout(poll, POLL_MS);
    }).catch(function (err) {
      statusText.textContent = err.message;
      startBtn.disabled = false;
      cancelBtn.classList.add('hidden');
      bar.classList.add('hidden');
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var f = form.elements;
    var body = {
      target: Number(f.target.value) / 100, level: f.level.value,
      hfov: Number(f.hfov.value), height: Number(f.height.value), tilt: Number(f.tilt.value)
    };
    clear(document.getElementById('plan-result'));
    startBtn.disabled = true;
    cw.api('POST', el.getAttribute('data-jobs'), body).then(function (j) {
      show(j);
      timer = setTimeout(poll, POLL_MS);
    }).catch(function (err) {
      if (err.status === 409 && err.body && err.body.error && err.body.error.job) {
        // one job per compound: follow the one that is running
        statusText.textContent = err.message;
        show(err.body.error.job);
        timer = setTimeout(poll, POLL_MS);
        return;
      }
      startBtn.disabled = false;
      statusText.textContent = err.message;
    });
  });

  cancelBtn.addEventListener('click', function () {
    if (!job) return;
    cancelBtn.disabled = true;
    cw.api('POST', job.cancel_url).then(function (j) {
      show(j);
    }).catch(function (err) { statusText.textContent = err.message; cancelBtn.disabled = false; });
  });
  window.addEventListener('beforeunload', function () { if (timer) clearTimeout(timer); });
})();
