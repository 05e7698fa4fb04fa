/* neurocode coding workbench. Plain JS; every piece of note text reaches the page through
   textContent / createTextNode (never innerHTML), so a note is always shown as text. */
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const KNOWN_SUGGESTION_FIELDS = new Set([
    "system", "code", "description", "label", "confidence", "units", "modifiers", "rationale",
    "evidence", "query", "family", "source", "assertion", "missing_axes",
  ]);
  const KNOWN_RESULT_FIELDS = new Set([
    "note_id", "date_of_service", "setting", "versions", "suggestions", "queries", "not_coded",
    "edits", "entities", "warnings", "claim", "error",
  ]);
  const NOT_PRESENT = { negated: "negated", uncertain: "uncertain", hypothetical: "hypothetical",
                        historical: "historical", family: "family history" };

  const state = { result: null, text: "", selected: -1, decisions: new Map(), added: [] };

  // ---------- small DOM helpers ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const clear = (node) => { node.replaceChildren(); return node; };
  function setStatus(message, kind) {
    const s = $("status");
    s.className = "status" + (kind ? " " + kind : "");
    s.textContent = message;
  }

  // ---------- API ----------
  async function api(method, path, body) {
    const opts = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const resp = await fetch(path, opts);
    let data = null;
    try { data = await resp.json(); } catch (_) { data = null; }
    if (!resp.ok) {
      const message = data && data.message ? data.message : `HTTP ${resp.status}`;
      throw new Error(message);
    }
    return data;
  }

  async function loadHealth() {
    try {
      const h = await api("GET", "/api/health");
      const v = h.versions || {};
      $("versions").textContent = `local only · ICD-10-CM ${v.icd10cm || "?"} · CPT ${v.cpt || "?"} · HCPCS ${v.hcpcs || "?"} · v${h.version}`;
    } catch (e) {
      setStatus(e.message, "error");
    }
  }

  // ---------- submit ----------
  async function submit() {
    const text = $("note-text").value;
    if (!text.trim()) { setStatus("The note is empty: paste a note first.", "error"); $("note-text").focus(); return; }
    const body = {
      text,
      date_of_service: $("dos").value || null,
      setting: $("setting").value,
      note_id: $("note-id").value.trim() || null,
    };
    $("submit").disabled = true;
    setStatus("Reading the note…", "busy");
    const started = performance.now();
    try {
      const result = await api("POST", "/api/suggest", body);
      state.result = result; state.text = text; state.selected = -1;
      state.decisions = new Map(); state.added = [];
      render();
      const ms = Math.round(performance.now() - started);
      const n = result.suggestions.length;
      setStatus(`${n} suggestion${n === 1 ? "" : "s"}, ${result.queries.length} quer${result.queries.length === 1 ? "y" : "ies"}, ` +
                `${result.not_coded.length} not coded · ${ms} ms`);
      if (n) select(0, false);
      $("suggestions").focus();
    } catch (e) {
      setStatus(e.message, "error");
    } finally {
      $("submit").disabled = false;
    }
  }

  function showEditor() {
    $("note-view").hidden = true; $("legend").hidden = true; $("edit-note").hidden = true;
    $("drop").hidden = false; $("note-text").focus();
  }

  function newNote() {
    state.result = null; state.text = ""; state.selected = -1; state.decisions = new Map(); state.added = [];
    $("note-text").value = ""; $("note-id").value = "";
    for (const id of ["suggestions-section", "queries-section", "edits-section", "not-coded-section", "claim-section", "extra-section", "warnings"]) $(id).hidden = true;
    setStatus("Paste a note and press Ctrl+Enter.");
    $("intro").hidden = false;
    showEditor();
  }

  // ---------- rendering ----------
  function render() {
    const r = state.result;
    renderNote(state.text, r);
    renderWarnings(r.warnings || []);
    renderSuggestions();
    renderQueries(r.queries || []);
    renderEdits(r.edits || []);
    renderNotCoded(r.not_coded || []);
    renderClaim(r.claim);
    renderExtra(r);
    $("drop").hidden = true; $("note-view").hidden = false; $("edit-note").hidden = false; $("intro").hidden = true;
  }

  /* The note as text nodes and spans. Marks: entity mentions (family, assertion), not-coded
     reasons, and each suggestion's evidence; the text is cut at every mark boundary. */
  function renderNote(text, r) {
    const marks = [];
    for (const ent of r.entities || []) {
      for (const ev of ent.evidence || []) marks.push({ start: ev.start, end: ev.end, ent });
    }
    (r.suggestions || []).forEach((s, i) => {
      for (const ev of s.evidence || []) marks.push({ start: ev.start, end: ev.end, ev: i });
    });
    for (const nc of r.not_coded || []) marks.push({ start: nc.start, end: nc.end, nc });
    const valid = marks.filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.start < m.end && m.end <= text.length);
    const cuts = new Set([0, text.length]);
    for (const m of valid) { cuts.add(m.start); cuts.add(m.end); }
    const bounds = [...cuts].sort((a, b) => a - b);
    const view = clear($("note-view"));
    const families = new Set();
    for (let k = 0; k + 1 < bounds.length; k++) {
      const a = bounds[k], b = bounds[k + 1];
      const piece = text.slice(a, b);
      const covering = valid.filter((m) => m.start <= a && m.end >= b);
      if (!covering.length) { view.append(document.createTextNode(piece)); continue; }
      const ents = covering.filter((m) => m.ent).sort((x, y) => (x.end - x.start) - (y.end - y.start));
      const evs = covering.filter((m) => m.ev !== undefined).map((m) => m.ev);
      const nc = covering.find((m) => m.nc);
      const classes = ["hl"];
      const tips = [];
      if (ents.length) {
        const ent = ents[0].ent;
        families.add(ent.family);
        classes.push("fam-" + ent.family);
        if (ent.assertion && ent.assertion !== "present") classes.push("a-" + ent.assertion);
        tips.push(`${ent.family} · ${String(ent.concept).replace(/_/g, " ")}` + (ent.assertion !== "present" ? ` — ${NOT_PRESENT[ent.assertion] || ent.assertion}` : ""));
      }
      if (nc) {
        if (!ents.length) classes.push("a-" + nc.nc.reason);
        tips.push(`not coded: ${nc.nc.reason}`);
      }
      if (evs.length) {
        classes.push("evidence");
        tips.push("evidence for " + [...new Set(evs)].map((i) => r.suggestions[i].code).join(", "));
      }
      view.append(el("span", { class: classes.join(" "), title: tips.join("\n"), "data-ev": evs.length ? [...new Set(evs)].join(" ") : null }, piece));
    }
    renderLegend(families);
  }

  function renderLegend(families) {
    const legend = clear($("legend"));
    for (const f of [...families].sort()) legend.append(el("span", { class: "chip hl fam-" + f }, f.replace(/_/g, " ")));
    legend.append(el("span", { class: "chip struck", title: "negated: not coded" }, "negated"));
    legend.append(el("span", { class: "chip dotted", title: "uncertain, hypothetical, historical or family: not coded" }, "uncertain · history · family"));
    legend.hidden = false;
  }

  function renderWarnings(warnings) {
    const ul = clear($("warnings"));
    for (const w of warnings) ul.append(el("li", {}, typeof w === "string" ? w : JSON.stringify(w)));
    ul.hidden = warnings.length === 0;
  }

  function rows() {
    // suggestions first, then the codes the coder added
    return state.result.suggestions.map((s, i) => ({ s, i, added: false }))
      .concat(state.added.map((s) => ({ s, i: -1, added: true })));
  }

  function renderSuggestions() {
    const r = state.result;
    const tbody = clear($("suggestions").querySelector("tbody"));
    $("suggestions").tabIndex = 0;
    rows().forEach(({ s, i, added }, pos) => {
      const decision = added ? "accept" : state.decisions.get(s.code);
      const tr = el("tr", { class: "row" + (pos === state.selected ? " selected" : "") + (decision ? " " + decision + "ed" : ""),
                            "data-pos": pos, "data-code": s.code, onclick: () => select(pos, true) });
      const dec = el("td", { class: "decision" });
      if (added) dec.append(el("span", { class: "badge added" }, "added"));
      else {
        dec.append(
          el("button", { type: "button", class: "accept" + (decision === "accept" ? " on" : ""), title: "Accept (A)",
                         "aria-pressed": decision === "accept" ? "true" : "false",
                         onclick: (e) => { e.stopPropagation(); decide(pos, "accept"); } }, "✓"),
          el("button", { type: "button", class: "reject" + (decision === "reject" ? " on" : ""), title: "Reject (R)",
                         "aria-pressed": decision === "reject" ? "true" : "false",
                         onclick: (e) => { e.stopPropagation(); decide(pos, "reject"); } }, "✗"));
      }
      tr.append(dec);
      tr.append(el("td", { class: "code" }, s.code, el("span", { class: "system" }, s.system || "")));
      tr.append(el("td", {}, s.label ? el("span", { class: "badge " + s.label }, s.label) : ""));
      tr.append(el("td", { class: "desc" }, s.description || "", s.rationale ? el("span", { class: "rationale" }, s.rationale) : null));
      const conf = typeof s.confidence === "number" ? s.confidence : null;
      tr.append(el("td", { class: "num" }, conf === null ? "–" : el("span", { class: "conf" },
        el("span", { class: "conf-bar" }, bar(conf)), conf.toFixed(2))));
      const units = el("td", { class: "units" }, `${s.units ?? 1} ×`);
      for (const m of s.modifiers || []) units.append(el("span", { class: "mod" }, m));
      tr.append(units);
      tbody.append(tr);
      if (pos === state.selected) tbody.append(detailsRow(s, i));
    });
    if (!rows().length) tbody.append(el("tr", {}, el("td", { colspan: 6, class: "empty" }, "No codes suggested for this note.")));
    const n = r.suggestions.length;
    $("suggestion-count").textContent = String(n);
    const accepted = acceptedCodes().length;
    $("accepted-count").textContent = `${accepted} accepted`;
    $("suggestions-section").hidden = false;
  }

  function bar(fraction) {
    const fill = el("span");
    fill.style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;  // CSSOM: allowed by the CSP
    return fill;
  }

  function detailsRow(s, i) {
    const dl = el("dl");
    const add = (k, v) => { if (v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length)) dl.append(el("dt", {}, k), el("dd", {}, v)); };
    if (i >= 0) {
      add("evidence", (s.evidence || []).map((e) => `${e.section || "?"} ${e.start}–${e.end}`).join(" · ") || "none");
      add("family · source", `${s.family || "?"} · ${s.source || "?"}`);
      if (s.assertion && s.assertion !== "present") add("assertion", s.assertion);
      add("missing axes", (s.missing_axes || []).join(", ").replace(/_/g, " "));
      if (s.query) add("query", s.query.prompt);
    } else {
      add("added by the coder", s.billable === false ? "not billable on this date" : "recorded as feedback");
    }
    for (const [k, v] of Object.entries(s)) {
      if (KNOWN_SUGGESTION_FIELDS.has(k) || (i < 0 && k === "billable")) continue;
      add(k.replace(/_/g, " "), typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
    }
    return el("tr", { class: "details" }, el("td", { colspan: 6 }, dl));
  }

  function renderQueries(queries) {
    const box = clear($("queries"));
    for (const q of queries) {
      const text = queryText(q);
      box.append(el("div", { class: "query", "data-code": q.code },
        el("div", { class: "query-head" }, el("span", { class: "code" }, q.code),
          el("span", {}, "missing: " + (q.axes || []).join(", ").replace(/_/g, " ")),
          el("button", { type: "button", onclick: (e) => copy(text, e.currentTarget) }, "Copy")),
        el("p", {}, q.prompt),
        el("ul", {}, ...(q.options || []).map((o) => el("li", {}, o)))));
    }
    $("query-count").textContent = String(queries.length);
    $("queries-section").hidden = queries.length === 0;
  }

  function queryText(q) {
    return `${q.prompt}\n\n` + (q.options || []).map((o) => `[ ] ${o}`).join("\n") + "\n";
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {
      const ta = el("textarea", { class: "offscreen" });
      ta.value = text; document.body.append(ta); ta.select(); document.execCommand("copy"); ta.remove();
    }
    const label = button.textContent;
    button.textContent = "Copied"; setTimeout(() => { button.textContent = label; }, 1200);
  }

  function renderEdits(edits) {
    const ul = clear($("edits"));
    for (const e of edits) {
      ul.append(el("li", {}, el("span", { class: "edit-type" }, String(e.type).replace(/_/g, " ")),
        el("span", { class: "codes" }, (e.codes || []).join(" + ")), e.message || ""));
    }
    $("edit-count").textContent = String(edits.length);
    $("edits-section").hidden = edits.length === 0;
  }

  function renderNotCoded(items) {
    const tbody = clear($("not-coded").querySelector("tbody"));
    for (const n of items) {
      tbody.append(el("tr", { onclick: () => flash(n.start, n.end) },
        el("td", { class: "mention" }, n.text),
        el("td", {}, el("span", { class: "reason " + n.reason }, n.reason)),
        el("td", {}, (n.family || "").replace(/_/g, " ")),
        el("td", {}, (n.section || "").replace(/_/g, " "))));
    }
    $("not-coded-count").textContent = String(items.length);
    $("not-coded-section").hidden = items.length === 0;
  }

  function renderClaim(claim) {
    // the claim section (issue 14): type of service, E/M, pointers per line, coverage and risk checks,
    // NEC justifications; every value is inserted as text
    $("claim-section").hidden = !claim;
    if (!claim) return;
    const dl = clear($("claim-summary"));
    const st = claim.service_type || {};
    const how = st.probability != null ? `model, p=${st.probability}` : (st.source || "");
    dl.append(el("dt", {}, "type of service"),
      el("dd", {}, [st.type, st.subtype].filter(Boolean).join(" / ").replace(/_/g, " ") + (how ? ` (${how})` : "")));
    const em = claim.em;
    if (em) {
      const level = em.code ? `${em.code} (${em.label})` : `level not suggested (${em.label})`;
      dl.append(el("dt", {}, "E/M"), el("dd", {}, `${String(em.category || "").replace(/_/g, " ")}: ${level}` +
        (em.minutes ? `, ${em.minutes} min documented` : "")));
      if (em.query) {
        const q = typeof em.query === "string" ? { prompt: em.query, options: [] } : em.query;
        dl.append(el("dt", {}, "E/M query"), el("dd", {}, q.prompt || "",
          (q.options || []).length ? el("div", { class: "muted" }, "Options: " + q.options.join(" / ")) : null));
      }
      for (const alt of em.medicare_alternative || []) {
        dl.append(el("dt", {}, "Medicare"), el("dd", {}, Object.values(alt).filter((v) => typeof v === "string").join(" · ")));
      }
    }
    if ((claim.diagnoses || []).length) {
      dl.append(el("dt", {}, "diagnoses"), el("dd", {}, claim.diagnoses.map((d) => `${d.letter}=${d.code}`).join("  ")));
    }
    const byCode = new Map();
    for (const f of claim.findings || []) {
      if (!byCode.has(f.code)) byCode.set(f.code, []);
      byCode.get(f.code).push(f);
    }
    const tbody = clear($("claim-lines").querySelector("tbody"));
    for (const ln of claim.lines || []) {
      const checks = (byCode.get(ln.code) || []).map((f) =>
        el("span", { class: "check " + (f.status || "") }, `${String(f.type).replace(/_/g, " ")}: ${f.status || ""}`));
      tbody.append(el("tr", {}, el("td", { class: "codes" }, [ln.code, ...(ln.modifiers || [])].join("-") + (ln.units > 1 ? ` ×${ln.units}` : "")),
        el("td", {}, (ln.pointers || []).map((p, k) => `${p} ${ln.pointer_codes[k] || ""}`).join(", ") || "none"),
        el("td", {}, ...checks)));
    }
    $("claim-lines").hidden = !(claim.lines || []).length;
    const ul = clear($("claim-findings"));
    for (const f of claim.findings || []) {
      const message = f.message || "";
      ul.append(el("li", {}, el("span", { class: "edit-type" }, String(f.type).replace(/_/g, " ")),
        message.startsWith(f.code || "\u0000") ? null : el("span", { class: "codes" }, f.code || ""), message));
    }
    const nec = clear($("claim-nec"));
    for (const n of claim.nec_justifications || []) {
      nec.append(el("details", { class: "nec" }, el("summary", {}, `NEC justification for ${n.code}`),
        el("p", {}, n.statement || "")));
    }
  }

  function renderExtra(r) {
    // fields other sessions add to the result show up here until they get their own view
    const dl = clear($("extra"));
    for (const [k, v] of Object.entries(r)) {
      if (KNOWN_RESULT_FIELDS.has(k) || v === null || (Array.isArray(v) && !v.length)) continue;
      dl.append(el("dt", {}, k.replace(/_/g, " ")), el("dd", {}, el("pre", {}, typeof v === "object" ? JSON.stringify(v, null, 2) : String(v))));
    }
    $("extra-section").hidden = dl.childElementCount === 0;
  }

  // ---------- selection and evidence ----------
  function select(pos, fromClick) {
    const all = rows();
    if (!all.length) return;
    state.selected = Math.max(0, Math.min(pos, all.length - 1));
    renderSuggestions();
    const { i } = all[state.selected];
    const spans = $("note-view").querySelectorAll("span[data-ev]");
    let first = null;
    for (const sp of spans) {
      const on = i >= 0 && sp.dataset.ev.split(" ").includes(String(i));
      sp.classList.toggle("ev-active", on);
      if (on && !first) first = sp;
    }
    if (first) first.scrollIntoView({ block: "center", behavior: fromClick ? "smooth" : "auto" });
    const row = $("suggestions").querySelector("tr.selected");
    if (row) row.scrollIntoView({ block: "nearest" });
  }

  function flash(start, end) {
    for (const sp of $("note-view").querySelectorAll("span.hl")) sp.classList.remove("ev-active");
    let pos = 0, first = null;
    for (const node of $("note-view").childNodes) {
      const len = node.textContent.length;
      if (pos >= start && pos + len <= end && node.nodeType === 1) { node.classList.add("ev-active"); first = first || node; }
      pos += len;
    }
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // ---------- decisions and feedback ----------
  function feedbackResult() {
    // what feedback needs: codes, labels, offsets; evidence text stays in the page
    const r = state.result;
    return {
      note_id: r.note_id, date_of_service: r.date_of_service, versions: r.versions,
      suggestions: r.suggestions.map((s) => ({ ...s, evidence: (s.evidence || []).map(({ start, end, section }) => ({ start, end, section })) })),
    };
  }

  async function decide(pos, decision) {
    const row = rows()[pos];
    if (!row || row.added) return;
    const code = row.s.code;
    if (state.decisions.get(code) === decision) return;
    try {
      await api("POST", "/api/feedback", { result: feedbackResult(), [decision]: [code] });
      state.decisions.set(code, decision);
      state.selected = pos;
      renderSuggestions();
      setStatus(`Recorded: ${decision} ${code}`);
    } catch (e) {
      setStatus(e.message, "error");
    }
  }

  async function addCode(raw) {
    const code = raw.trim().toUpperCase();
    const msg = $("add-message");
    msg.classList.remove("error");
    if (!code) return;
    if (rows().some(({ s }) => s.code === code)) { msg.textContent = `${code} is already listed: accept it instead.`; msg.classList.add("error"); return; }
    try {
      const dos = state.result.date_of_service ? `?dos=${encodeURIComponent(state.result.date_of_service)}` : "";
      const info = await api("GET", `/api/code/${encodeURIComponent(code)}${dos}`);
      if (!info.billable) {
        const kids = (info.children || []).filter((c) => c.billable).slice(0, 6).map((c) => c.code).join(", ");
        msg.textContent = `${info.code} is a header, not billable${kids ? `: use one of ${kids}` : ""}.`;
        msg.classList.add("error");
        return;
      }
      await api("POST", "/api/feedback", { result: feedbackResult(), add: [info.code] });
      state.added.push({ system: info.system, code: info.code, description: info.description, label: info.code_class, units: 1, modifiers: [] });
      $("add-code").value = "";
      msg.textContent = `Added ${info.code}.`;
      renderSuggestions();
    } catch (e) {
      msg.textContent = e.message; msg.classList.add("error");
    }
  }

  function acceptedCodes() {
    if (!state.result) return [];
    const out = [];
    for (const { s, added } of rows()) {
      if (added || state.decisions.get(s.code) === "accept") {
        out.push({ system: s.system, code: s.code, description: s.description, label: s.label || "",
                   units: s.units ?? 1, modifiers: (s.modifiers || []).join(";"), origin: added ? "added" : "suggested" });
      }
    }
    return out;
  }

  function download(name, type, content) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const a = el("a", { href: url, download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function exportName(ext) {
    const id = (state.result.note_id || "note").replace(/[^A-Za-z0-9._-]+/g, "_");
    return `${id}-codes.${ext}`;
  }

  function exportCsv() {
    if (!state.result) return;
    const cols = ["note_id", "date_of_service", "system", "code", "description", "label", "units", "modifiers", "origin"];
    const cell = (v) => {
      let s = String(v ?? "");
      if (/^[=+\-@]/.test(s)) s = "'" + s;  // a spreadsheet must not read a cell as a formula
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = [cols.join(",")].concat(acceptedCodes().map((c) =>
      cols.map((k) => cell(k === "note_id" ? state.result.note_id : k === "date_of_service" ? state.result.date_of_service : c[k])).join(",")));
    download(exportName("csv"), "text/csv", lines.join("\n") + "\n");
  }

  function exportJson() {
    if (!state.result) return;
    const r = state.result;
    const body = { note_id: r.note_id, date_of_service: r.date_of_service, setting: r.setting, versions: r.versions, codes: acceptedCodes() };
    download(exportName("json"), "application/json", JSON.stringify(body, null, 2) + "\n");
  }

  // ---------- file drop ----------
  async function loadFile(file) {
    if (!file) return;
    $("note-text").value = await file.text();
    if (!$("note-id").value) $("note-id").value = file.name.replace(/\.[^.]+$/, "");
    showEditor();
    setStatus(`Loaded ${file.name}. Press Ctrl+Enter.`);
  }

  // ---------- wiring ----------
  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT");
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("note-form").addEventListener("submit", (e) => { e.preventDefault(); submit(); });
    $("new-note").addEventListener("click", newNote);
    $("edit-note").addEventListener("click", showEditor);
    $("export-csv").addEventListener("click", exportCsv);
    $("export-json").addEventListener("click", exportJson);
    $("add-form").addEventListener("submit", (e) => { e.preventDefault(); addCode($("add-code").value); });
    $("file-input").addEventListener("change", (e) => loadFile(e.target.files[0]));
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("dragging"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
    drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("dragging"); loadFile(e.dataTransfer.files[0]); });

    document.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); submit(); return; }
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k === "n") { e.preventDefault(); newNote(); return; }
      if (!state.result) return;
      if (e.key === "ArrowDown" || k === "j") { e.preventDefault(); select(state.selected + 1, false); }
      else if (e.key === "ArrowUp" || k === "k") { e.preventDefault(); select(state.selected - 1, false); }
      else if (k === "a" && state.selected >= 0) { e.preventDefault(); decide(state.selected, "accept"); }
      else if (k === "r" && state.selected >= 0) { e.preventDefault(); decide(state.selected, "reject"); }
      else if (k === "e") { e.preventDefault(); showEditor(); }
    });
    loadHealth();
    $("note-text").focus();
  });
})();
