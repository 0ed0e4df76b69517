// The review desk: decide findings, mark what was missed, with the keyboard
// or the mouse. Every change is posted with the page's CSRF token and
// recorded by the server in the case's store; the page only reflects it.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const $ = selector => document.querySelector(selector);
  const notice = text => { const el = $("#notice") || $("#messages"); if (el) el.textContent = text; };

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {error: response.statusText}; }
    if (!response.ok && !("messages" in data)) throw new Error(data.error || response.statusText);
    return data;
  }

  // A change that reaches more than one thing is stated by the server first and confirmed here.
  async function postConfirmed(url, body) {
    const first = await post(url, body);
    if (!first.confirm_needed) return first;
    if (!window.confirm(first.statement + "?")) { notice("cancelled: " + first.statement); return null; }
    return post(url, Object.assign({}, body, {confirm: true}));
  }

  // ---- the case overview: apply and pack ---------------------------------
  const release = $("#release");
  if (release) {
    release.addEventListener("click", async () => {
      release.disabled = true;
      notice("applying every decision and verifying each output...");
      try {
        const result = await post("/api/release", {});
        notice(result.messages.join("\n") + (result.ok ? "\npack: " + result.pack : "\nnot packed."));
      } catch (e) { notice("refused: " + e.message); }
      release.disabled = false;
    });
  }

  const desk = $("#desk");
  if (!desk) return;
  const doc = Number(desk.dataset.document), page = Number(desk.dataset.page);
  const zoom = Number(desk.dataset.zoom), pdf = desk.dataset.kind === "pdf";
  const items = Array.from(document.querySelectorAll("li.finding"));
  const reason = () => $("#reason").value.trim();
  const exemption = () => $("#exemption").value;
  let current = -1;

  const visible = () => items.filter(item => !item.hidden);
  function select(i) {
    const shown = visible();
    if (!shown.length) return;
    const pos = ((i % shown.length) + shown.length) % shown.length;
    current = items.indexOf(shown[pos]);
    document.querySelectorAll(".selected").forEach(el => el.classList.remove("selected"));
    const id = items[current].dataset.finding;
    items[current].classList.add("selected");
    document.querySelectorAll(`[data-finding-id="${id}"]`).forEach(el => {
      el.classList.add("selected");
      el.scrollIntoView({block: "nearest"});
    });
    items[current].focus({preventScroll: true});
  }
  const step = delta => select(visible().indexOf(items[current]) + delta);
  const selectedId = () => (current < 0 ? null : Number(items[current].dataset.finding));

  function show(finding) {
    document.querySelectorAll(`[data-finding-id="${finding.id}"]`).forEach(el => { el.dataset.status = finding.status; });
    const item = document.getElementById("finding-" + finding.id);
    if (item) {
      item.dataset.state = finding.status;
      item.querySelector(".status").textContent = finding.status;
      item.querySelector(".text").textContent = finding.text;
      item.querySelector(".code").textContent = finding.exemption;
    }
  }

  function progress(p) {
    if (!p) return;
    $("#reviewed").textContent = p.reviewed;
    $("#total").textContent = p.total;
  }

  async function decide(action, scope, extra) {
    const id = selectedId();
    if (id === null) { notice("select a finding first (j / k, or click it)"); return; }
    try {
      const result = await postConfirmed("/api/decisions", Object.assign(
        {finding_id: id, action: action, scope: scope || "finding", reason: reason()}, extra || {}));
      if (!result) return;
      result.decided.forEach(show);
      progress(result.progress);
      notice(result.statement);
      if (action !== "edit") step(1);
    } catch (e) { notice("not recorded: " + e.message); }
  }

  async function undoRedo(which) {
    try { notice((await post("/api/" + which, {})).message); location.reload(); }
    catch (e) { notice(e.message); }
  }

  // ---- marking what was missed -----------------------------------------
  async function mark(body) {
    try {
      const result = await postConfirmed("/api/marks", Object.assign(
        {document_id: doc, page: page, exemption: exemption(), reason: reason()}, body));
      if (result) { notice(result.statement); location.reload(); }
    } catch (e) { notice("not recorded: " + e.message); }
  }

  function redactSelection() {
    const selection = window.getSelection();
    const scope = $("#mark-scope").value;
    if (pdf) {
      const words = Array.from(document.querySelectorAll(".word"))
        .filter(w => selection.containsNode(w, true)).map(w => Number(w.dataset.word));
      if (!words.length) { notice("select words on the page first (drag over them, or double-click one)"); return; }
      mark({kind: "words", words: words, scope: scope});
    } else {
      const text = selection.toString().trim();
      if (!text) { notice("select text in the document first"); return; }
      mark({kind: "text", text: text, scope: scope});
    }
  }

  const sheet = $("#sheet");
  let drawing = false, start = null;
  function toggleDraw() {
    if (!sheet) return;
    drawing = !drawing;
    sheet.classList.toggle("drawing", drawing);
    $("#draw").setAttribute("aria-pressed", String(drawing));
    notice(drawing ? "drag a rectangle on the page to redact it (d or Esc to stop)" : "");
  }
  if (sheet) {
    const band = $("#band");
    const at = event => {
      const r = sheet.getBoundingClientRect();
      return [event.clientX - r.left, event.clientY - r.top];
    };
    sheet.addEventListener("mousedown", event => {
      if (!drawing) return;
      event.preventDefault();
      start = at(event);
      Object.assign(band.style, {left: start[0] + "px", top: start[1] + "px", width: "0px", height: "0px"});
      band.hidden = false;
    });
    sheet.addEventListener("mousemove", event => {
      if (!drawing || !start) return;
      const [x, y] = at(event);
      Object.assign(band.style, {left: Math.min(x, start[0]) + "px", top: Math.min(y, start[1]) + "px",
                                 width: Math.abs(x - start[0]) + "px", height: Math.abs(y - start[1]) + "px"});
    });
    sheet.addEventListener("mouseup", event => {
      if (!drawing || !start) return;
      const [x, y] = at(event);
      const rect = [Math.min(x, start[0]), Math.min(y, start[1]), Math.max(x, start[0]), Math.max(y, start[1])]
        .map(v => Math.round(v / zoom * 10) / 10);
      start = null;
      band.hidden = true;
      if (rect[2] - rect[0] < 2 || rect[3] - rect[1] < 2) { notice("drag a larger rectangle"); return; }
      mark({kind: "area", rect: rect, scope: "here"});
    });
  }
  document.querySelectorAll("[data-finding-id]").forEach(box => box.addEventListener("click", () => {
    const item = document.getElementById("finding-" + box.dataset.findingId);
    if (item) select(visible().indexOf(item));
  }));

  // ---- wiring ------------------------------------------------------------
  items.forEach(item => {
    item.addEventListener("click", event => {
      if (!event.target.closest("button")) select(visible().indexOf(item));
    });
    item.querySelectorAll("button[data-action]").forEach(button => button.addEventListener("click", () => {
      select(visible().indexOf(item));
      if (button.dataset.action === "edit") openEdit();
      else decide(button.dataset.action, button.dataset.scope);
    }));
  });
  document.querySelectorAll("button.withdraw").forEach(button => button.addEventListener("click", async () => {
    if (!window.confirm("withdraw manual redaction " + button.dataset.mark + "?")) return;
    try { await post(`/api/marks/${button.dataset.mark}/withdraw`, {reason: reason()}); location.reload(); }
    catch (e) { notice(e.message); }
  }));

  const editForm = $("#edit-form");
  function openEdit() {
    if (selectedId() === null) { notice("select a finding first"); return; }
    const item = items[current];
    $("#edit-text").value = item.querySelector(".text").textContent;
    $("#edit-exemption").value = item.querySelector(".code").textContent;
    editForm.hidden = false;
    $("#edit-text").focus();
  }
  editForm.addEventListener("submit", event => {
    event.preventDefault();
    editForm.hidden = true;
    decide("edit", "finding", {text: $("#edit-text").value, exemption: $("#edit-exemption").value});
  });
  $("#edit-cancel").addEventListener("click", () => { editForm.hidden = true; });

  $("#redact-selection").addEventListener("click", redactSelection);
  if ($("#draw")) $("#draw").addEventListener("click", toggleDraw);
  const wholePage = () => mark({kind: "page", scope: "here"});
  if ($("#whole-page")) $("#whole-page").addEventListener("click", wholePage);
  $("#undo").addEventListener("click", () => undoRedo("undo"));
  $("#redo").addEventListener("click", () => undoRedo("redo"));

  $("#preview").addEventListener("change", event => {
    if (pdf) {
      const image = $("#page-image");
      image.src = `/documents/${doc}/pages/${page}.png?zoom=${zoom}` + (event.target.checked ? "&released=1" : "");
      desk.classList.toggle("released", event.target.checked);
    } else {
      location.search = event.target.checked ? "?released=1" : "";
    }
  });

  const filter = $("#filter");
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    items.forEach(item => {
      const text = (item.textContent + " " + item.dataset.state).toLowerCase();
      item.hidden = !words.every(w => text.includes(w));
      document.querySelectorAll(`[data-finding-id="${item.dataset.finding}"]`)
        .forEach(el => el.classList.toggle("filtered", item.hidden));
    });
  });

  function go(id) { const link = document.getElementById(id); if (link) location.href = link.href; else notice("no such page"); }
  function zoomBy(delta) {
    const links = Array.from(document.querySelectorAll(".zoom a"));
    const i = links.findIndex(a => a.classList.contains("current")) + delta;
    if (links[i]) location.href = links[i].href;
  }

  document.addEventListener("keydown", event => {
    const target = event.target;
    const typing = ["SELECT", "TEXTAREA"].includes(target.tagName) ||
      (target.tagName === "INPUT" && !["checkbox", "radio", "button"].includes(target.type));
    if (event.key === "Escape") {
      if (typing) event.target.blur();
      if (drawing) toggleDraw();
      editForm.hidden = true;
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const keys = {
      j: () => step(1), k: () => step(-1),
      a: () => decide("approve"), r: () => decide("reject"),
      A: () => decide("approve", "text"), R: () => decide("reject", "text"),
      e: openEdit, u: () => undoRedo("undo"), U: () => undoRedo("redo"),
      x: redactSelection, d: toggleDraw, w: wholePage,
      n: () => go("next-pending"), ".": () => go("next"), ",": () => go("previous"),
      "+": () => zoomBy(1), "=": () => zoomBy(1), "-": () => zoomBy(-1),
      "/": () => filter.focus(),
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });

  const wanted = location.hash.startsWith("#finding-") ? document.getElementById(location.hash.slice(1)) : null;
  const firstPending = items.findIndex(item => item.dataset.state === "pending");
  if (wanted) select(visible().indexOf(wanted));
  else if (items.length) select(firstPending >= 0 ? firstPending : 0);
})();
