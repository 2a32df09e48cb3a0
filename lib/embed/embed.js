/*! LeadFlow embed — sends <form data-leadflow> submissions to LeadFlow; never loses one. */
(function () {
  "use strict";
  var PREFIX = "leadflow:";
  var MAX_BACKOFF = 5 * 60 * 1000;
  var UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

  function safe(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (_e) {
        /* never throw into the host page */
      }
    };
  }

  var script = document.currentScript || document.querySelector("script[data-key][src*='embed.js']");
  if (!script) return;
  var key = script.getAttribute("data-key");
  if (!key) return;
  var endpoint = script.getAttribute("data-endpoint") || new URL("/api/intake", script.src).toString();
  var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "key=" + encodeURIComponent(key);
  var QUEUE = PREFIX + "queue:" + key;

  function store(kind) {
    try {
      var s = window[kind];
      var probe = PREFIX + "probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (_e) {
      return null;
    }
  }
  var local = store("localStorage");
  var session = store("sessionStorage");
  var memoryQueue = [];

  function readQueue() {
    if (!local) return memoryQueue;
    try {
      return JSON.parse(local.getItem(QUEUE) || "[]");
    } catch (_e) {
      return [];
    }
  }
  function writeQueue(q) {
    if (!local) {
      memoryQueue = q;
      return;
    }
    try {
      local.setItem(QUEUE, JSON.stringify(q));
    } catch (_e) {
      memoryQueue = q;
    }
  }

  // The landing page's UTM values and referrer, remembered for the visit.
  var visit = {};
  safe(function () {
    var saved = session && JSON.parse(session.getItem(PREFIX + "visit") || "null");
    var params = new URLSearchParams(location.search);
    var fresh = {};
    var any = false;
    UTM.forEach(function (k) {
      var v = params.get(k);
      if (v) {
        fresh[k] = v;
        any = true;
      }
    });
    visit = any || !saved ? fresh : saved;
    if (!visit.landingReferrer && document.referrer && document.referrer.indexOf(location.origin) !== 0) visit.landingReferrer = document.referrer;
    if (session) session.setItem(PREFIX + "visit", JSON.stringify(visit));
  })();

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "lf-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function setState(form, state, detail) {
    if (!form) return;
    form.setAttribute("data-leadflow-state", state);
    var ok = form.querySelector("[data-leadflow-success]");
    var err = form.querySelector("[data-leadflow-error]");
    var pending = form.querySelector("[data-leadflow-pending]");
    if (ok) ok.hidden = state !== "success";
    if (pending) pending.hidden = state !== "queued";
    if (err) {
      err.hidden = state !== "error";
      if (state === "error") err.textContent = (detail && detail.message) || err.getAttribute("data-default") || err.textContent;
    }
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = state === "sending";
    if (state === "success") form.reset();
    form.dispatchEvent(new CustomEvent("leadflow:" + state, { bubbles: true, detail: detail || {} }));
  }

  function markInvalid(form, issues) {
    if (!form) return;
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
    (issues || []).forEach(function (i) {
      var name = String(i.path || "").replace(/^customFields\./, "");
      var el = form.querySelector("[name='" + name.replace(/'/g, "") + "']");
      if (el) el.setAttribute("aria-invalid", "true");
    });
  }

  var formsById = {};
  var timer = null;

  function schedule(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(safe(flush), Math.max(250, delay));
  }

  function remove(id) {
    writeQueue(
      readQueue().filter(function (item) {
        return item.id !== id;
      }),
    );
  }

  function send(item) {
    var form = formsById[item.id];
    return fetch(url, {
      method: "POST",
      mode: "cors",
      keepalive: true,
      headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": item.id },
      body: JSON.stringify(item.body),
    }).then(
      function (res) {
        if (res.ok) {
          remove(item.id);
          return res.json().then(
            function (body) {
              setState(form, "success", body);
            },
            function () {
              setState(form, "success", {});
            },
          );
        }
        if (res.status === 429 || res.status === 408 || res.status >= 500) {
          var retryAfter = Number(res.headers.get("Retry-After")) * 1000 || 0;
          return retryLater(item, form, retryAfter);
        }
        // Anything else will never succeed as sent: drop it and tell the visitor why.
        remove(item.id);
        return res.json().then(
          function (body) {
            markInvalid(form, body.error && body.error.issues);
            setState(form, "error", body.error || {});
          },
          function () {
            setState(form, "error", {});
          },
        );
      },
      function () {
        return retryLater(item, form, 0);
      },
    );
  }

  function retryLater(item, form, atLeast) {
    var q = readQueue();
    var delay = Math.max(atLeast, Math.min(MAX_BACKOFF, 1000 * Math.pow(2, item.attempts || 0)));
    q.forEach(function (x) {
      if (x.id === item.id) {
        x.attempts = (x.attempts || 0) + 1;
        x.next = Date.now() + delay;
      }
    });
    writeQueue(q);
    setState(form, "queued", { retryInMs: delay });
    schedule(delay);
  }

  var flushing = false;
  function flush() {
    if (flushing) return;
    var now = Date.now();
    var due = readQueue().filter(function (item) {
      return !item.next || item.next <= now;
    });
    var later = readQueue().filter(function (item) {
      return item.next && item.next > now;
    });
    if (later.length) {
      schedule(
        Math.min.apply(
          null,
          later.map(function (i) {
            return i.next - now;
          }),
        ) || 1000,
      );
    }
    if (!due.length) return;
    flushing = true;
    var chain = Promise.resolve();
    due.forEach(function (item) {
      chain = chain.then(function () {
        return send(item);
      });
    });
    chain.then(
      function () {
        flushing = false;
      },
      function () {
        flushing = false;
      },
    );
  }

  function collect(form) {
    var body = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string") value = "[file: " + (value.name || "unnamed") + "]";
      body[name] = name in body ? body[name] + ", " + value : value;
    });
    UTM.forEach(function (k) {
      if (!body[k] && visit[k]) body[k] = visit[k];
    });
    if (!body.pageUrl) body.pageUrl = location.href;
    if (!body.referrer && (visit.landingReferrer || document.referrer)) body.referrer = visit.landingReferrer || document.referrer;
    if (!body.form) body.form = form.getAttribute("data-leadflow") || form.getAttribute("name") || form.id || undefined;
    return body;
  }

  document.addEventListener(
    "submit",
    safe(function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-leadflow")) return;
      event.preventDefault();
      if (form.getAttribute("data-leadflow-state") === "sending") return;
      var item = { id: uuid(), body: collect(form), attempts: 0, next: 0, at: Date.now() };
      // Saved before it is sent: closing the page now loses nothing.
      var q = readQueue();
      q.push(item);
      writeQueue(q);
      formsById[item.id] = form;
      setState(form, "sending");
      send(item);
    }),
    true,
  );

  window.addEventListener("online", safe(flush));
  // Submissions kept by earlier page loads (an outage, a closed tab) are sent now.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", safe(flush));
  else safe(flush)();
})();
