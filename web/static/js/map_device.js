/* The compound map's device tab: a device's facts, its edit form, open problems,
 * maintenance history and the form to log maintenance.
 */
(function () {
  'use strict';

  var cw = window.camwatch, state = cw.state, T = cw.T, h = cw.h, clear = cw.clear;
  var say = cw.say, api = cw.api, fmt = cw.fmt, LEVELS = cw.LEVELS;

  // ---------------------------------------------------------------- device panel
  function loadDevice(id) {
    var box = clear(document.getElementById('device-panel'));
    box.appendChild(h('p', { class: 'muted', text: '…' }));
    api('GET', state.data.urls.device + id).then(renderDevice).catch(function (err) {
      clear(box).appendChild(h('p', { class: 'flash error', text: err.message }));
    });
  }

  function field(name, value, attrs) {
    var input = h('input', Object.assign({ name: name, value: value === null || value === undefined ? '' : String(value) }, attrs || {}));
    return h('label', {}, T[name] || name, input);
  }

  function renderDevice(f) {
    var p = f.properties, props = p.properties || {};
    var box = clear(document.getElementById('device-panel'));
    var editable = cw.canEdit(p);
    box.appendChild(h('div', { class: 'devhead' },
      h('h2', {}, (T[p.kind] || p.kind) + ' ' + p.code),
      h('span', { class: 'badge ' + p.status, text: T[p.status] || p.status })));
    var facts = h('dl', { class: 'facts' });
    function fact(k, v) { if (v !== null && v !== undefined && v !== '') { facts.appendChild(h('dt', { text: T[k] || k })); facts.appendChild(h('dd', { text: String(v) })); } }
    fact('name', p.name); fact('manufacturer', p.manufacturer); fact('model', p.model); fact('serial', p.serial);
    fact('install_date', p.install_date);
    if (p.kind === 'camera' && p.reach) {
      fact('reach', LEVELS.map(function (lv) { return T[lv].slice(0, 2) + ' ' + fmt(p.reach[lv], 0) + ' m'; }).join(' · '));
    }
    if (props.access_control) fact('access_control', props.access_control);
    if (props.alarm_type) fact('alarm_type', props.alarm_type);
    box.appendChild(facts);

    if (editable) {
      var form = h('form', { class: 'stack devform', id: 'device-form' });
      var st = h('select', { name: 'status' });
      var statuses = state.data.can.edit ? ['active', 'faulty', 'offline', 'planned'] : ['planned'];
      statuses.forEach(function (s) { var o = h('option', { value: s, text: T[s] }); if (s === p.status) o.selected = true; st.appendChild(o); });
      form.appendChild(h('div', { class: 'row' }, field('name', p.name), h('label', {}, T.status, st)));
      if (p.kind === 'camera') {
        form.appendChild(h('div', { class: 'row' },
          field('height_m', props.height_m, { type: 'number', step: 'any', min: '0.1' }),
          field('heading_deg', props.heading_deg, { type: 'number', step: 'any' }),
          field('tilt_deg', props.tilt_deg, { type: 'number', step: 'any', min: '-90', max: '90' })));
        form.appendChild(h('div', { class: 'row' },
          field('hfov_deg', props.hfov_deg, { type: 'number', step: 'any', min: '0.1', max: '360' }),
          field('focal_mm', props.focal_mm, { type: 'number', step: 'any', min: '0' }),
          field('sensor_width_mm', props.sensor_width_mm, { type: 'number', step: 'any', min: '0' })));
        form.appendChild(h('div', { class: 'row' },
          field('resolution', (props.resolution || [1920, 1080]).join('x'), { pattern: '\\d+x\\d+' }),
          field('range_m', props.range_m, { type: 'number', step: 'any', min: '0' })));
      }
      form.appendChild(h('div', { class: 'row' }, field('model', p.model), field('serial', p.serial)));
      form.appendChild(h('button', { type: 'submit', class: 'primary', text: T.save }));
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var changes = {};
        var data = new FormData(form);
        data.forEach(function (v, k) {
          var before = (k in props) ? props[k] : p[k];
          if (k === 'resolution') before = (props.resolution || [1920, 1080]).join('x');
          if (String(v) !== String(before === null || before === undefined ? '' : before)) {
            changes[k] = (v === '') ? null : v;
          }
        });
        ['height_m', 'heading_deg', 'tilt_deg', 'hfov_deg', 'focal_mm', 'sensor_width_mm', 'range_m'].forEach(function (k) {
          if (k in changes && changes[k] !== null) changes[k] = Number(changes[k]);
        });
        if (!Object.keys(changes).length) { say(T.saved, 'ok'); return; }
        cw.patchDevice(p, changes);
      });
      box.appendChild(form);
    }

    if (p.problems && p.problems.length) {
      box.appendChild(h('h3', { text: T.problems }));
      var pl = h('ul', { class: 'plain' });
      p.problems.forEach(function (pr) { pl.appendChild(h('li', {}, h('a', { href: '/problems/' + pr.id, text: '#' + pr.id }), ' ' + pr.description + ' · ' + T.deadline + ' ' + pr.deadline)); });
      box.appendChild(pl);
    }

    box.appendChild(h('h3', { text: T.maintenance }));
    var ml = h('ul', { class: 'plain history', id: 'maintenance-list' });
    (p.maintenance || []).forEach(function (m) {
      ml.appendChild(h('li', {},
        h('b', { text: m.date }), ' ' + (T['m_' + m.kind] || m.kind) + ' · ' + m.technician,
        m.status_before !== m.status_after ? h('span', { class: 'muted' }, ' · ' + (T[m.status_before] || m.status_before) + ' → ' + (T[m.status_after] || m.status_after)) : null,
        m.notes ? h('div', { class: 'muted small', text: m.notes }) : null));
    });
    if (!(p.maintenance || []).length) ml.appendChild(h('li', { class: 'muted', text: T.no_maintenance }));
    box.appendChild(ml);

    if (state.data.can.maintenance) {
      var mf = h('form', { class: 'stack', id: 'maintenance-form' });
      var kind = h('select', { name: 'kind' });
      ['inspection', 'repair', 'replacement', 'cleaning', 'firmware'].forEach(function (k) { kind.appendChild(h('option', { value: k, text: T['m_' + k] })); });
      var after = h('select', { name: 'status_after' }, h('option', { value: '', text: T.unchanged }));
      ['active', 'faulty', 'offline'].forEach(function (s) { after.appendChild(h('option', { value: s, text: T[s] })); });
      mf.appendChild(h('h3', { text: T.log_maintenance }));
      mf.appendChild(h('div', { class: 'row' }, h('label', {}, T.work_done, kind), h('label', {}, T.status_after, after)));
      mf.appendChild(h('label', {}, T.notes, h('textarea', { name: 'notes', rows: '2' })));
      mf.appendChild(h('button', { type: 'submit', text: T.log_maintenance }));
      mf.addEventListener('submit', function (e) {
        e.preventDefault();
        var body = { kind: kind.value, status_after: after.value || null, notes: mf.elements.notes.value || null };
        api('POST', p.urls.maintenance, body).then(function (fresh) {
          say(T.logged, 'ok');
          renderDevice(fresh);
          return cw.reload();
        }).catch(function (err) { say(err.message, 'error'); });
      });
      box.appendChild(mf);
    }
    box.appendChild(h('p', {}, h('a', { href: p.urls.page, text: T.open_page })));
  }

  cw.loadDevice = loadDevice;
  cw.renderDevice = renderDevice;
})();
