/* Error lookup: paste Salesforce error text, get the runbook case.
 *
 * Runs wherever a [data-rb-lookup] box is on the page (home page, lookup/, the 404 page); on other
 * pages it does nothing. The matcher below is a line-by-line port of generator/tools/matching.py and
 * reads the same index from api/catalog.json; the test suite runs one payload corpus through both
 * and requires identical answers, so change both together.
 *
 * Privacy: the pasted text never leaves the browser. The only request is the GET of
 * api/catalog.json (sent without a Referer), nothing is submitted, and the page never writes the
 * text into the address bar or history. Only lookup/?q=... reads text from the URL, because an
 * alert put it there, and it then replaces the history entry with the case URL.
 *
 * Offline (the zipped copy opened from file://): browsers refuse fetch() of file: URLs, so the same
 * data comes from api/catalog.js, a script that sets window.RUNBOOKS_CATALOG; and pages are files
 * (errors/invalid_grant.html), not folders (errors/invalid_grant/).
 */
(function () {
  "use strict";

  // The script's own URL gives the site root at any depth, and on the 404 page too.
  var SCRIPT = document.currentScript;
  var ROOT = new URL("../", SCRIPT ? SCRIPT.src : location.href);
  var CATALOG_URL = new URL("api/catalog.json", ROOT);
  var OFFLINE = location.protocol === "file:";
  // Folders whose page is their index.md; every other hosted "x/" is the file "x.html" offline.
  var INDEX_FOLDERS = ["errors", "flows", "integrations", "checklists", "review", "decision-tree"];

  // A site path as the hosted site writes it ("errors/invalid_grant/#inactive-user") -> a URL here.
  function pageUrl(path) {
    if (!OFFLINE) return new URL(path, ROOT).href;
    var hash = path.indexOf("#") >= 0 ? path.slice(path.indexOf("#")) : "";
    var page = path.slice(0, path.length - hash.length).replace(/\/$/, "");
    var file = page === "" ? "index.html"
      : INDEX_FOLDERS.indexOf(page) >= 0 ? page + "/index.html" : page + ".html";
    return new URL(file + hash, ROOT).href;
  }

  /* ---- matcher: keep in step with generator/tools/matching.py ---------------------------- */

  var APOSTROPHES = /[\u2018\u2019\u02bc`]/g;
  // Exactly the characters Python's str.split() splits on (JavaScript's \s differs).
  var WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  var JSON_UNICODE = /\\u([0-9a-fA-F]{4})/g;
  var ENTITY = /&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z]+);/g;
  var NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
  var PERCENT = /%[0-9A-Fa-f]{2}/;
  var PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
  var TOKEN = /[a-z0-9_]+/g;
  var ALNUM = /[a-z0-9]/;

  function canon(text) {
    return text.toLowerCase().replace(APOSTROPHES, "'").replace(WHITESPACE, " ").replace(/^ | $/g, "");
  }

  function entity(whole, ref) {
    if (ref.charAt(0) !== "#") {
      return Object.prototype.hasOwnProperty.call(NAMED, ref) ? NAMED[ref] : whole;
    }
    var hex = ref.charAt(1) === "x" || ref.charAt(1) === "X";
    var point = hex ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    var ok = point > 0 && point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff);
    return ok ? String.fromCodePoint(point) : "\ufffd";
  }

  function unescapeText(text) {
    text = text.replace(JSON_UNICODE, function (m, hex) { return String.fromCharCode(parseInt(hex, 16)); });
    text = text.split('\\"').join('"').split("\\/").join("/").split("\\n").join(" ");
    return text.replace(ENTITY, entity);
  }

  // urllib.parse.unquote(text, errors="replace"): each run of %XX is UTF-8, bad bytes become U+FFFD.
  var UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });
  function unquote(text) {
    return text.replace(PERCENT_RUN, function (run) {
      var bytes = new Uint8Array(run.length / 3);
      for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.substr(i * 3 + 1, 2), 16);
      return UTF8.decode(bytes);
    });
  }

  function haystack(raw) {
    var parts = [canon(unescapeText(raw))];
    if (PERCENT.test(raw) || raw.indexOf("+") !== -1) {
      var decoded = canon(unescapeText(unquote(raw.replace(/\+/g, " "))));
      if (decoded !== parts[0]) parts.push(decoded);
    }
    return parts.join(" | ");
  }

  // A {name} in a message string stands for a record-specific part (an id, a field, a value): up to
  // 300 characters of anything, or nothing. Same regular expression as generator/tools/matching.py.
  var VARIABLE = /\{[a-z_]+\}/;
  var patterns = {};

  function patternRegex(needle) {
    if (!patterns[needle]) {
      var parts = needle.split(/\{[a-z_]+\}/).map(function (p) { return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
      patterns[needle] = new RegExp("(?<![a-z0-9])" + parts.join("[\\s\\S]{0,300}?") + "(?![a-z0-9])");
    }
    return patterns[needle];
  }

  function findAtBoundary(hay, needle) {
    if (VARIABLE.test(needle)) return patternRegex(needle).test(hay);
    var start = hay.indexOf(needle);
    while (start !== -1) {
      var end = start + needle.length;
      var before = start > 0 ? hay.charAt(start - 1) : " ";
      var after = end < hay.length ? hay.charAt(end) : " ";
      if (!ALNUM.test(before) && !ALNUM.test(after)) return true;
      start = hay.indexOf(needle, start + 1);
    }
    return false;
  }

  // index = catalog.match_index (see MatchIndex.to_json in generator/tools/matching.py): runbook and
  //   reference code tables {codes, exact, field_only}, strings, fallback, reference_strings,
  //   families [{id, hints}], fallback_family.
  var RAW_TOKEN = /[A-Za-z0-9_]+/g;
  // Where a response names its code (see CODE_FIELD in generator/tools/matching.py): tried first.
  var CODE_FIELD = /(?:"(?:errorcode|statuscode|error)" ?: ?"|<(?:[a-z]+:)?(?:statuscode|exceptioncode|faultcode)>(?:[a-z]+:)?|[?&]error=)([a-z0-9_]+)/g;
  var CODE_SHAPE = /^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)$/;
  var own = function (obj, key) { return !!obj && Object.prototype.hasOwnProperty.call(obj, key); };

  // One tier's code table: code positions first, then any token (a word-like code only as written,
  // a plain capitalised word only in a code position).
  function spelledOk(table, t, asWritten) {
    return !own(table.exact, t) || table.exact[t].some(function (w) { return own(asWritten, w); });
  }
  // skip: slugs of wrapper entries, passed over so the inner code answers (see matching.py).
  function inFields(table, fields, asWritten, skip) {
    for (var i = 0; i < fields.length; i++) {
      if (own(table.codes, fields[i]) && (skip || []).indexOf(table.codes[fields[i]].code) === -1 &&
          spelledOk(table, fields[i], asWritten)) return table.codes[fields[i]];
    }
    return null;
  }
  function inTokens(table, tokens, asWritten, skip) {
    for (var i = 0; i < tokens.length; i++) {
      if (own(table.codes, tokens[i]) && table.field_only.indexOf(tokens[i]) === -1 &&
          (skip || []).indexOf(table.codes[tokens[i]].code) === -1 && spelledOk(table, tokens[i], asWritten)) {
        return table.codes[tokens[i]];
      }
    }
    return null;
  }
  function findCode(table, fields, tokens, asWritten) {
    return inFields(table, fields, asWritten) || inTokens(table, tokens, asWritten);
  }

  // {tier, key, detail}: runbook/reference (key = slug, detail = case anchor or null) or family
  // (key = family id, detail = the unknown code as written); null when nothing Salesforce-shaped.
  function match(index, raw) {
    var hay = haystack(raw);
    var fields = [];
    var field;
    CODE_FIELD.lastIndex = 0;
    while ((field = CODE_FIELD.exec(hay)) !== null) fields.push(field[1]);
    var tokens = hay.match(TOKEN) || [];
    var asWritten = {};
    (unescapeText(raw).match(RAW_TOKEN) || []).forEach(function (t) { asWritten[t] = true; });
    var i, s;
    var code = inFields(index.runbook, fields, asWritten, index.wrappers);
    if (!code) {
      // A message only a pseudo-code entry has beats a status word elsewhere (see matching.py).
      for (i = 0; i < index.strings.length; i++) {
        s = index.strings[i];
        if (index.pseudo.indexOf(s.code) !== -1 && findAtBoundary(hay, s.text)) return { tier: "runbook", key: s.code, detail: s.anchor };
      }
      code = inTokens(index.runbook, tokens, asWritten, index.wrappers) || findCode(index.runbook, fields, tokens, asWritten);
    }
    if (code) {
      if (code.anchor !== null) return { tier: "runbook", key: code.code, detail: code.anchor };
      for (i = 0; i < index.strings.length; i++) {
        s = index.strings[i];
        if (s.code === code.code && findAtBoundary(hay, s.text)) return { tier: "runbook", key: s.code, detail: s.anchor };
      }
      return { tier: "runbook", key: code.code, detail: own(index.fallback, code.code) ? index.fallback[code.code] : null };
    }
    for (i = 0; i < index.strings.length; i++) {
      s = index.strings[i];
      if (findAtBoundary(hay, s.text)) return { tier: "runbook", key: s.code, detail: s.anchor };
    }
    var ref = findCode(index.reference, fields, tokens, asWritten);
    if (ref) return { tier: "reference", key: ref.code, detail: null };
    for (i = 0; i < index.reference_strings.length; i++) {
      s = index.reference_strings[i];
      if (findAtBoundary(hay, s.text)) return { tier: "reference", key: s.code, detail: null };
    }
    var written = Object.keys(asWritten).sort();
    for (i = 0; i < fields.length; i++) {
      var spelled = null;
      for (var w = 0; w < written.length && spelled === null; w++) {
        if (written[w].toLowerCase() === fields[i] && CODE_SHAPE.test(written[w])) spelled = written[w];
      }
      if (spelled !== null) {
        var family = index.fallback_family;
        for (var f = 0; f < index.families.length; f++) {
          var hints = index.families[f].hints;
          if (hints.some(function (h) { return hay.indexOf(h) !== -1; })) { family = index.families[f].id; break; }
        }
        return { tier: "family", key: family, detail: spelled };
      }
    }
    return null;
  }

  /* ---- catalog and answers ---------------------------------------------------------------- */

  var loading = null;
  function loadCatalog() {
    if (!loading) {
      loading = OFFLINE ? loadScript() : fetch(CATALOG_URL.href, { credentials: "same-origin", referrerPolicy: "no-referrer" })
        .then(function (response) {
          if (!response.ok) throw new Error("api/catalog.json: HTTP " + response.status);
          return response.json();
        });
      loading.catch(function () { loading = null; });  // let a later attempt retry
    }
    return loading;
  }

  // file:// pages may load scripts but not fetch: api/catalog.js holds the same data as the JSON.
  function loadScript() {
    return new Promise(function (resolve, reject) {
      if (window.RUNBOOKS_CATALOG) return resolve(window.RUNBOOKS_CATALOG);
      var script = document.createElement("script");
      script.src = new URL("api/catalog.js", ROOT).href;
      script.onload = function () {
        if (window.RUNBOOKS_CATALOG) resolve(window.RUNBOOKS_CATALOG);
        else reject(new Error("api/catalog.js did not set the catalog"));
      };
      script.onerror = function () { reject(new Error("api/catalog.js could not be loaded")); };
      document.head.appendChild(script);
    });
  }

  // What the page shows for pasted text: null, or {tier, code, title, means, step, path, url, ...}.
  function answer(catalog, raw) {
    var found = match(catalog.match_index, raw);
    if (!found) return null;
    var r = { tier: found.tier, kase: null };
    if (found.tier === "family") {
      var fam = catalog.families[found.key];
      r.code = found.detail;
      r.title = "Unknown code " + found.detail + ": " + fam.title;
      r.means = "This looks like a " + fam.title + " error, but no runbook or reference entry knows the code " + found.detail + ".";
      r.step = fam.first_step;
      r.path = fam.page + "#" + fam.unknown_anchor;
      r.page = fam.page;
      r.anchor = fam.unknown_anchor;
      r.linkText = "Open the " + fam.title + " guide";
    } else if (found.tier === "reference") {
      var ref = catalog.reference[found.key];
      r.code = ref.code;
      r.title = ref.code + ": reference entry, no runbook yet";
      r.means = ref.meaning || "Salesforce documents only the name of this code.";
      r.step = catalog.families[ref.family].first_step;
      r.path = ref.page;
      r.page = ref.page;
      r.anchor = null;
      r.linkText = "Open the " + ref.code + " page";
    } else {
      var entry = catalog.errors[found.key];
      for (var i = 0; i < entry.cases.length; i++) {
        if (entry.cases[i].anchor === found.detail) r.kase = entry.cases[i];
      }
      r.code = entry.code;
      r.title = entry.code + ": " + (r.kase ? r.kase.description : entry.title);
      r.means = r.kase ? r.kase.meaning : null;
      r.step = r.kase ? r.kase.first_step : null;
      r.path = r.kase ? r.kase.path : entry.page;
      r.page = entry.page;
      r.anchor = r.kase ? r.kase.anchor : null;
      r.linkText = r.kase ? "Open the case" : "Open the " + entry.code + " page";
    }
    r.url = pageUrl(r.path);
    return r;
  }

  /* ---- the lookup boxes ------------------------------------------------------------------- */

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;  // catalog text is text: never innerHTML
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    return node;
  }

  function show(box, result, state) {
    var out = box.querySelector("[data-rb-result]");
    out.textContent = "";
    box.setAttribute("data-rb-state", state);
    if (state === "empty") return;
    if (state === "loading" || state === "failed") {
      out.appendChild(el("p", state === "loading" ? "Loading the catalog\u2026"
        : "Could not load the catalog (api/catalog." + (OFFLINE ? "js" : "json") + "). Use the search box at the top instead."));
      return;
    }
    var panel = el("div", "", { "class": "admonition " + (result ? "success" : "warning") });
    if (!result) {
      panel.appendChild(el("p", "No match", { "class": "admonition-title" }));
      panel.appendChild(el("p", "No known Salesforce error code or message in that text. Try the search box at the top, or browse all errors."));
      var p = el("p");
      p.appendChild(el("a", "All errors", { href: pageUrl("errors/") }));
      p.appendChild(document.createTextNode(" \u00b7 "));
      p.appendChild(el("a", "Add a missing error", { href: pageUrl("contributing/") }));
      panel.appendChild(p);
      out.appendChild(panel);
      return;
    }
    panel.appendChild(el("p", result.title, { "class": "admonition-title" }));
    if (result.means) {
      var means = el("p");
      means.appendChild(el("strong", "Means: "));
      means.appendChild(document.createTextNode(result.means));
      panel.appendChild(means);
      var step = el("p");
      step.appendChild(el("strong", "First step: "));
      step.appendChild(document.createTextNode(result.step));
      panel.appendChild(step);
    } else {
      panel.appendChild(el("p", "The code is known but not this message; the page lists every case."));
    }
    var link = el("p");
    link.appendChild(el("a", result.linkText,
      { href: result.url, "class": "md-button md-button--primary", "data-rb-link": "", "data-rb-tier": result.tier }));
    panel.appendChild(link);
    out.appendChild(panel);
  }

  function lookUp(box, text) {
    if (!text.trim()) { show(box, null, "empty"); return Promise.resolve(null); }
    if (box.getAttribute("data-rb-state") === "empty") show(box, null, "loading");
    return loadCatalog().then(function (catalog) {
      var result = answer(catalog, text);
      show(box, result, result ? "found" : "none");
      return result;
    }, function () { show(box, null, "failed"); return null; });
  }

  // Words to try on the 404 page: the last part of the missing path and its anchor.
  function textFromMissingPath() {
    var parts = location.pathname.split("/").filter(Boolean);
    var last = parts.length ? parts[parts.length - 1].replace(/\.html$/, "") : "";
    var text = last + " " + location.hash.replace(/^#/, "").replace(/-/g, " ");
    try { return decodeURIComponent(text).trim(); } catch (e) { return text.trim(); }
  }

  function setUp(box) {
    var input = box.querySelector("[data-rb-input]");
    var timer = null;
    show(box, null, "empty");
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { lookUp(box, input.value); }, 120);
    });
    // The home page box is a form: handle it here, never submit it (no request, no URL change).
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      lookUp(box, input.value);
    });

    if (box.hasAttribute("data-rb-follow-query")) {
      var q = new URLSearchParams(location.search).get("q");
      if (q) {
        input.value = q;
        lookUp(box, q).then(function (result) {
          // Land on the case; replace() so Back skips the lookup page (and its ?q=) entirely.
          if (result) location.replace(result.url);
        });
      }
    } else if (box.hasAttribute("data-rb-from-path")) {
      var guess = textFromMissingPath();
      if (guess) { input.value = guess; lookUp(box, guess); }
    }
  }

  // The contributing guide, opened from a reference page as contributing/?code=X: fill the command in.
  var wanted = new URLSearchParams(location.search).get("code");
  if (wanted && /^[A-Za-z][A-Za-z0-9_]{1,79}$/.test(wanted)) {
    var fills = document.querySelectorAll("[data-rb-fill-code]");
    for (var f = 0; f < fills.length; f++) fills[f].textContent = fills[f].textContent.replace("<CODE>", wanted);
  }

  var boxes = document.querySelectorAll("[data-rb-lookup]");
  for (var i = 0; i < boxes.length; i++) setUp(boxes[i]);

  // For tests and for people at the console: the same answers the page shows.
  window.runbooksLookup = {
    match: match,
    haystack: haystack,
    load: loadCatalog,
    resolve: function (raw) {
      return loadCatalog().then(function (catalog) {
        var r = answer(catalog, raw);
        return r && { code: r.code, page: r.page, anchor: r.anchor, path: r.path, tier: r.tier };
      });
    }
  };
})();
