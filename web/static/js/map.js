/* The compound map: loads the compound and its coverage, and starts the page
 * (loaded after the map's other scripts; map_base.js says how they fit together).
 */
(function () {
  'use strict';

  var cw = window.camwatch, map = cw.map, state = cw.state, T = cw.T, el = cw.el;
  var say = cw.say, api = cw.api, showTab = cw.showTab, modelParam = cw.modelParam;

  // ---------------------------------------------------------------- loading
  function loadCoverage() {
    var planned = document.getElementById('opt-planned').checked ? 1 : 0;
    return api('GET', state.data.urls.coverage + '?planned=' + planned + modelParam()).then(function (cov) {
      state.coverage = cov;
      cw.drawCoverage(cov);
    });
  }

  function reload() {
    return api('GET', el.getAttribute('data-src')).then(function (data) {
      state.data = data;
      cw.drawDevices(data.devices);
      return loadCoverage();
    }).catch(function (err) { say(err.message, 'error'); });
  }
  cw.reload = reload;  // after an edit, an added device, accepted suggestions

  document.getElementById('btn-analyze').addEventListener('click', function () {
    say(T.analyzing, 'info');
    showTab('tab-coverage');
    loadCoverage().then(function () { say(''); }).catch(function (err) { say(err.message, 'error'); });
  });
  document.getElementById('opt-model').addEventListener('change', function () {
    say(T.analyzing, 'info');
    loadCoverage().then(function () { say(''); }).catch(function (err) { say(err.message, 'error'); });
  });
  document.getElementById('opt-planned').addEventListener('change', function () {
    loadCoverage();
    el.dispatchEvent(new CustomEvent('camwatch:planned'));
  });

  api('GET', el.getAttribute('data-src')).then(function (data) {
    state.data = data;
    var b = data.bounds;
    map.fitBounds(L.latLngBounds(L.latLng(b[0][0], b[0][1]), L.latLng(b[1][0], b[1][1])), { padding: [12, 12] });
    cw.drawPlan(data.plan);
    cw.drawDevices(data.devices);
    new cw.Legend().addTo(map);
    cw.setupLegendSync();
    cw.setupLabels();
    if (data.can.edit || data.can.plan_devices) {
      document.getElementById('add-tools').classList.remove('hidden');
      if (!data.can.edit) {
        var sel = document.getElementById('add-kind');
        sel.value = 'camera';
        sel.disabled = true;
        var st = document.getElementById('add-status');
        if (st) { st.value = 'planned'; st.disabled = true; }
      }
    }
    if (data.can.plan) document.getElementById('tab-plan-btn').classList.remove('hidden');
    return loadCoverage();
  }).then(function () {
    cw.showFocus();  // after the coverage layers, so it is drawn on top
    el.setAttribute('data-ready', '1');
    el.dispatchEvent(new CustomEvent('camwatch:ready'));
  }).catch(function (err) { say(err.message, 'error'); });

  window.addEventListener('resize', function () { map.invalidateSize(); });
})();
