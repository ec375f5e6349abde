/* camwatch plan editor: the image underlay (docs/web.md, "Plan editor").
 *
 * A scan or a screenshot is read in the browser (FileReader, a data: URL the
 * CSP's img-src allows) and shown as an L.imageOverlay under the plan; it is
 * never uploaded. It first spans the plan's width. Calibrate: click two points,
 * type their distance, and the image is scaled about the first point. Move:
 * click a point of the image, then where it belongs. Clicks reach
 * ctx.state.clickDone through the editor's map and layer click handlers.
 */
(function () {
  'use strict';

  window.CW.initUnderlay = function (ctx) {
    var T = window.CW.T, map = ctx.map, el = ctx.el, say = ctx.say, state = ctx.state;

    var fileInput = document.getElementById('underlay-file');
    var tools = document.getElementById('underlay-tools');
    var calibForm = document.getElementById('calib-form');
    fileInput.addEventListener('change', function () {
      var file = fileInput.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () {
          // first placement: as wide as the plan, bottom-left corner at the plan's
          var b = state.layers.length ? L.featureGroup(state.layers).getBounds() : map.getBounds();
          var width = b.getEast() - b.getWest();
          var height = width * img.naturalHeight / img.naturalWidth;
          var sw = b.getSouthWest();
          if (state.underlay) map.removeLayer(state.underlay);
          state.underlay = L.imageOverlay(reader.result, [[sw.lat, sw.lng], [sw.lat + height, sw.lng + width]], {
            pane: 'underlay', opacity: 0.6, pmIgnore: true, interactive: false
          }).addTo(map);
          tools.classList.remove('hidden');
        };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
    document.getElementById('underlay-opacity').addEventListener('input', function (e) {
      if (state.underlay) state.underlay.setOpacity(Number(e.target.value) / 100);
    });
    document.getElementById('btn-underlay-remove').addEventListener('click', function () {
      if (state.underlay) map.removeLayer(state.underlay);
      state.underlay = null;
      tools.classList.add('hidden');
      fileInput.value = '';
    });

    function twoClicks(first, second, done) {
      state.clicks = [];
      el.classList.add('adding');
      say(first);
      state.clickDone = function (latlng) {
        state.clicks.push(latlng);
        if (state.clicks.length === 1) { say(second); return; }
        el.classList.remove('adding');
        var pts = state.clicks;
        state.clicks = null;
        done(pts[0], pts[1]);
      };
    }

    document.getElementById('btn-calibrate').addEventListener('click', function () {
      twoClicks(T.calib_first, T.calib_second, function (a, b) {
        state.calib = [a, b];
        calibForm.classList.remove('hidden');
        say(T.calib_metres);
        document.getElementById('calib-metres').focus();
      });
    });
    document.getElementById('btn-calib-apply').addEventListener('click', function () {
      var metres = Number(document.getElementById('calib-metres').value);
      if (!state.calib || !(metres > 0)) { say(T.bad_metres, 'error'); return; }
      var a = state.calib[0], b = state.calib[1];
      var measured = Math.sqrt(Math.pow(b.lat - a.lat, 2) + Math.pow(b.lng - a.lng, 2));
      if (!(measured > 0)) { say(T.bad_metres, 'error'); return; }
      var f = metres / measured;  // scale the image about the first point, which stays where it is
      var bounds = state.underlay.getBounds();
      function scaled(p) { return [a.lat + (p.lat - a.lat) * f, a.lng + (p.lng - a.lng) * f]; }
      state.underlay.setBounds(L.latLngBounds([scaled(bounds.getSouthWest()), scaled(bounds.getNorthEast())]));
      calibForm.classList.add('hidden');
      state.calib = null;
      say(T.calib_done, 'ok');
    });
    document.getElementById('btn-place').addEventListener('click', function () {
      twoClicks(T.place_first, T.place_second, function (a, b) {
        var bounds = state.underlay.getBounds();
        var dy = b.lat - a.lat, dx = b.lng - a.lng;
        var sw = bounds.getSouthWest(), ne = bounds.getNorthEast();
        state.underlay.setBounds(L.latLngBounds([[sw.lat + dy, sw.lng + dx], [ne.lat + dy, ne.lng + dx]]));
        say(T.placed, 'ok');
      });
    });
  };
})();
