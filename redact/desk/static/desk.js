// The review desk: keyboard decisions on the findings of one page.
// j/k select, a approve (redact), r reject (keep), n/p page; every decision
// is posted with the page's CSRF token and recorded by the server.
(function () {
  "use strict";
  const desk = document.querySelector(".desk");
  const csrf = desk.dataset.csrf;
  const items = Array.from(document.querySelectorAll("li.finding"));
  let current = items.length ? 0 : -1;

  function select(i) {
    if (!items.length) return;
    current = (i + items.length) % items.length;
    document.querySelectorAll(".selected").forEach(el => el.classList.remove("selected"));
    const id = items[current].dataset.finding;
    document.querySelectorAll(`[data-finding="${id}"]`).forEach(el => el.classList.add("selected"));
    items[current].focus();
  }

  async function decide(action) {
    if (current < 0) return;
    const id = items[current].dataset.finding;
    const response = await fetch(`/finding/${id}`, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify({action: action}),
    });
    if (!response.ok) { alert("not recorded: " + (await response.text())); return; }
    const finding = await response.json();
    document.querySelectorAll(`[data-finding="${id}"]`).forEach(el => {
      el.classList.remove("pending", "approved", "rejected");
      el.classList.add(finding.status);
    });
    items[current].querySelector(".status").textContent = finding.status;
    select(current + 1);
  }

  function go(id) { const link = document.getElementById(id); if (link) location.href = link.href; }

  document.getElementById("preview").addEventListener("change", event => {
    desk.classList.toggle("released", event.target.checked);
  });
  items.forEach((item, i) => item.addEventListener("click", () => select(i)));
  document.addEventListener("keydown", event => {
    if (event.target.tagName === "INPUT" || event.ctrlKey || event.metaKey || event.altKey) return;
    const keys = {j: () => select(current + 1), k: () => select(current - 1), a: () => decide("approve"),
                  r: () => decide("reject"), n: () => go("next"), p: () => go("previous")};
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
  select(0);
})();
