/* The compound map's plan tab: "Plan K cameras", its suggestions drawn as ghost
 * cameras with their footprints, and accepting them as planned cameras.
 */
(function () {
  'use strict';

  var cw = window.camwatch, map = cw.map, state = cw.state, T = cw.T, h = cw.h, clear = cw.clear;
  var say = cw.say, api = cw.api, ll = cw.ll, fmt = cw.fmt, pct = cw.pct, tip = cw.tip;
  var LEVELS = cw.LEVELS, LEVEL_STYLE = cw.LEVEL_STYLE, overlays = cw.overlays;
  var rebuildLayerControl = cw.rebuildLayerControl;

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
        icon: cw.cameraIcon({ id: s.id, status: 'planned' }, true), title: s.id + ' · +' + fmt(s.gain_m2) + ' ' + T.m2
      });
      m.on('add', function () { cw.rotate(m, s.heading_deg); });
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

  // the mount spots the planner could not use, worded by the server: ten, then a count
  var MAX_REMARKS = 10;
  function unusedMounts(remarks) {
    var wrap = h('details', { id: 'plan-unused', class: 'small' });
    if (!remarks.length) return h('div', { id: 'plan-unused' });
    wrap.appendChild(h('summary', { text: T.unused_mounts.replace('{n}', remarks.length) }));
    var ul = h('ul', { class: 'plain muted' });
    remarks.slice(0, MAX_REMARKS).forEach(function (r) { ul.appendChild(h('li', { text: r })); });
    if (remarks.length > MAX_REMARKS) {
      ul.appendChild(h('li', { text: T.and_more.replace('{n}', remarks.length - MAX_REMARKS) }));
    }
    wrap.appendChild(ul);
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
            return cw.reload();
          }).catch(function (err) { e.target.disabled = false; say(err.message, 'error'); });
      } }));
    }
    box.appendChild(unusedMounts(plan.unused_mounts || []));
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

  cw.renderPlan = renderPlan;  // map_planners.js draws the target plan with it
})();
