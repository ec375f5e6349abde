/* camwatch: the DOM helpers every page script shares (the map's and the plan editor's).
 *
 * h(tag, attrs, ...children) builds an element: "text" sets textContent, "class" the
 * class, on* attributes add listeners, children are nodes or strings (inserted as text,
 * never as HTML: user data stays data, CSP allows no inline script). clear(node)
 * empties a node and returns it; teller(box) gives the say(text, kind) of a status box;
 * answer(resp) reads a fetch() answer as JSON, throwing on an error status.
 */
(function () {
  'use strict';

  function h(tag, attrs) {
    var node = document.createElement(tag);
    var k;
    if (attrs) {
      for (k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === null || attrs[k] === undefined) continue;
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'class') node.className = attrs[k];
        else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
        else node.setAttribute(k, attrs[k]);
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (cc) { if (cc) node.appendChild(typeof cc === 'string' ? document.createTextNode(cc) : cc); });
      else node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  // say(text, kind) for a status box: kind info (the default) and ok fade after 4 s,
  // error and conflict stay until the next message; say('') empties the box.
  function teller(box) {
    function say(text, kind) {
      clear(box);
      if (!text) { box.className = 'mapstatus'; return; }
      box.className = 'mapstatus show ' + (kind || 'info');
      box.appendChild(document.createTextNode(text));
      if (kind !== 'error' && kind !== 'conflict') {
        var mine = text;
        setTimeout(function () { if (box.textContent === mine) say(''); }, 4000);
      }
    }
    return say;
  }

  // A fetch() answer as JSON (an empty object when it has none); an error status throws an
  // Error with the API's message, ``status`` and ``body`` (the 409's current state).
  function answer(resp) {
    return resp.json().catch(function () { return {}; }).then(function (json) {
      if (!resp.ok) {
        var err = new Error((json.error && json.error.message) || resp.statusText);
        err.status = resp.status; err.body = json;
        throw err;
      }
      return json;
    });
  }

  window.camwatchDom = { h: h, clear: clear, teller: teller, answer: answer };
})();
