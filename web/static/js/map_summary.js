/* The compound map's coverage tab: the verdict, ratios per level, zones and blind
 * spots, each failing one with its "create problem" button (or a link to the
 * problem that holds it).
 */
(function () {
  'use strict';

  var cw = window.camwatch, state = cw.state, T = cw.T, h = cw.h, clear = cw.clear;
  var say = cw.say, api = cw.api, fmt = cw.fmt, pct = cw.pct, LEVELS = cw.LEVELS;

  // ---------------------------------------------------------------- coverage summary
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
        h('a', { href: '#', text: z.name, onclick: function (e) { e.preventDefault(); cw.zoomToZone(z.name); } }),
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
        h('a', { href: '#', text: b.id, onclick: function (e) { e.preventDefault(); cw.zoomToSpot(b); } }),
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

  cw.renderSummary = renderSummary;
})();
