// The questionnaire on a phone, built on the page that works without JavaScript:
// - one part per screen, with where one is ("Part 2 of 7"), Back and Next, the send button on
//   the last screen; focus goes to the part's heading, whose position is announced;
// - the answers kept in this browser (localStorage, under the form's code or poster) until they
//   are sent, for a day at most, across a reload, Back, a language switch or a failed send;
// - before sending, the questions left out, each a link to it, and the choice to send anyway.
// Only answers are stored, with the time they were saved (to forget them after a day).
(() => {
  "use strict";
  const form = document.querySelector("form.survey[data-store]");
  const ui = document.getElementById("steps-ui");
  if (!form || !ui || !window.fetch) return;

  const DAY = 24 * 3600 * 1000;
  const PREFIX = "satisfaction:answers:";
  const key = PREFIX + form.dataset.store;
  const fields = [...form.querySelectorAll("fieldset.q input[type=radio], textarea")];
  const names = new Set(fields.map((field) => field.name));
  const store = (() => {
    try {
      const found = window.localStorage;
      found.getItem(key);
      return found;
    } catch (refused) {
      return null; // storage off or refused: the screens still work, nothing is kept
    }
  })();

  function forgetOld() {
    for (let i = store.length - 1; i >= 0; i -= 1) {
      const name = store.key(i);
      if (!name || !name.startsWith(PREFIX)) continue;
      try {
        const kept = JSON.parse(store.getItem(name));
        if (!(Date.now() - kept.t < DAY)) store.removeItem(name);
      } catch (broken) {
        store.removeItem(name);
      }
    }
  }

  function answers() {
    const found = {};
    for (const [name, value] of new FormData(form)) {
      if (names.has(name) && value.trim() !== "") found[name] = value;
    }
    return found;
  }

  function save() {
    const found = answers();
    try {
      if (Object.keys(found).length) store.setItem(key, JSON.stringify({ t: Date.now(), a: found }));
      else store.removeItem(key);
    } catch (full) {
      // the page still holds them
    }
  }

  function restore() {
    let kept = null;
    try {
      kept = JSON.parse(store.getItem(key));
    } catch (broken) {
      return;
    }
    if (!kept || typeof kept.a !== "object") return;
    for (const [name, value] of Object.entries(kept.a)) {
      const field = names.has(name) ? form.elements.namedItem(name) : null;
      if (!field || field.value) continue; // what the server drew again wins
      if (field instanceof RadioNodeList) {
        const choice = [...field].find((radio) => radio.value === String(value));
        if (choice) choice.checked = true;
      } else {
        field.value = String(value);
      }
    }
  }

  function forget() {
    try {
      store.removeItem(key);
    } catch (refused) {
      // nothing kept
    }
  }

  if (store) {
    forgetOld();
    restore();
    form.addEventListener("change", save);
    form.addEventListener("input", save);
    document.getElementById("kept-note").hidden = false;
  }

  const sections = [...form.querySelectorAll("section.element")];
  const send = form.querySelector(":scope > button[type=submit]");
  if (sections.length < 2 || !send) return;

  const parts = ui.content.cloneNode(true);
  const top = parts.querySelector(".steps-top");
  const position = top.querySelector(".steps-pos");
  const bar = top.querySelector(".steps-bar span");
  const failed = parts.querySelector(".steps-failed");
  const nav = parts.querySelector(".steps-nav");
  const back = nav.querySelector("[data-back]");
  const next = nav.querySelector("[data-next]");
  const texts = parts.querySelector(".steps-texts").dataset;
  const review = form.querySelector("#skipped") || parts.querySelector("#skipped");
  const lead = form.querySelector(":scope > .instruction");
  const REVIEW = sections.length; // the screen before sending, when questions were left out
  const sendLabel = send.textContent;
  const anywayLabel = review.querySelector("button").textContent;
  let current = 0;
  let sending = false;

  form.insertBefore(top, lead || sections[0]);
  // The poster's question on the procedure's field goes with the last part (the comment).
  const extra = form.querySelector(":scope > .poster-field");
  if (extra) sections[sections.length - 1].append(extra);
  sections[sections.length - 1].after(review);
  send.replaceWith(nav);
  nav.append(send);
  nav.before(failed);
  form.classList.add("steps");
  for (const screen of [...sections, review]) screen.querySelector("h2").tabIndex = -1;

  const hashOf = (i) => (i === REVIEW ? "#before-sending" : `#part-${i + 1}`);

  function fromHash() {
    if (location.hash === "#before-sending") return REVIEW;
    const found = /^#part-(\d+)$/.exec(location.hash);
    const n = found ? Number(found[1]) : 1;
    return n >= 1 && n <= sections.length ? n - 1 : 0;
  }

  function listSkipped() {
    const list = review.querySelector(".skipped-list");
    list.textContent = "";
    for (const question of form.querySelectorAll("fieldset.q")) {
      if (question.querySelector("input:checked")) continue;
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${question.id}`;
      link.textContent = question.querySelector("legend").textContent.replace(/\s+/g, " ").trim();
      item.append(link);
      list.append(item);
    }
    return list.children.length;
  }

  function keepPlaceAcrossLanguages(i) {
    for (const link of document.querySelectorAll(".lang a[hreflang]")) {
      const url = new URL(link.href);
      const path = (url.searchParams.get("next") || location.pathname).split("#")[0];
      url.searchParams.set("next", path + hashOf(i));
      link.href = url.href;
    }
  }

  function show(wanted, { focus = false, push = false } = {}) {
    const i = wanted === REVIEW && !listSkipped() ? sections.length - 1 : wanted;
    current = i;
    sections.forEach((section, j) => {
      section.hidden = j !== i;
    });
    review.hidden = i !== REVIEW;
    const screen = i === REVIEW ? review : sections[i];
    if (lead) lead.hidden = !screen.querySelector("fieldset.q") || !!screen.querySelector(".instruction");
    back.hidden = i === 0;
    next.hidden = i >= sections.length - 1;
    send.hidden = i < sections.length - 1;
    send.textContent = i === REVIEW ? anywayLabel : sendLabel;
    const n = Math.min(i + 1, sections.length);
    position.textContent = i === REVIEW
      ? position.dataset.review
      : position.dataset.part.replace("{n}", n).replace("{total}", sections.length);
    bar.style.width = `${(100 * n) / sections.length}%`;
    failed.hidden = true;
    if (push && location.hash !== hashOf(i)) history.pushState(null, "", hashOf(i));
    keepPlaceAcrossLanguages(i);
    if (focus) {
      screen.querySelector("h2").focus({ preventScroll: true });
      top.scrollIntoView({ block: "start" });
    }
  }

  const go = (i) => show(i, { focus: true, push: true });
  next.addEventListener("click", () => go(current + 1));
  back.addEventListener("click", () => go(current === REVIEW ? sections.length - 1 : current - 1));
  window.addEventListener("popstate", () => show(fromHash(), { focus: true }));

  review.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#q-']");
    if (!link) return;
    event.preventDefault();
    const question = document.getElementById(link.getAttribute("href").slice(1));
    const i = sections.findIndex((section) => section.contains(question));
    if (i < 0) return;
    show(i, { push: true });
    question.querySelector("input").focus({ preventScroll: true });
    question.scrollIntoView({ block: "center" });
  });

  function failedWith(message) {
    sending = false;
    send.disabled = false;
    back.disabled = false;
    send.textContent = current === REVIEW ? anywayLabel : sendLabel;
    failed.textContent = "";
    failed.hidden = false;
    setTimeout(() => {
      failed.textContent = message; // set after it shows, so that it is announced
      failed.scrollIntoView({ block: "nearest" });
    }, 50);
  }

  async function sendAnswers() {
    sending = true;
    send.disabled = true;
    back.disabled = true;
    send.textContent = texts.sending;
    failed.hidden = true;
    const body = new URLSearchParams(new FormData(form));
    body.set("send_anyway", "1"); // the questions left out were listed here already
    let reply;
    try {
      reply = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    } catch (lost) {
      failedWith(texts.offline);
      return;
    }
    const landed = new URL(reply.url || location.href);
    if (reply.ok && reply.redirected && landed.origin === location.origin
        && landed.pathname.endsWith("/thanks")) {
      forget(); // received and counted
      location.replace(reply.url);
      return;
    }
    if (reply.status === 409) {
      forget(); // answered already (the reply to an earlier send was lost), or closed
      location.replace(location.pathname);
      return;
    }
    failedWith(reply.status < 500 ? await said(reply) : texts.failed);
  }

  async function said(reply) {
    // The form drawn again says why (a token expired, a wait): show that, take its new token.
    try {
      const page = new DOMParser().parseFromString(await reply.text(), "text/html");
      const token = page.querySelector("input[name=csrf_token]");
      if (token) form.elements.namedItem("csrf_token").value = token.value;
      const message = page.getElementById("form-message");
      return message ? message.textContent : texts.failed;
    } catch (lost) {
      return texts.offline;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (sending) return;
    if (current < sections.length - 1) go(current + 1);
    else if (current !== REVIEW && listSkipped()) go(REVIEW);
    else sendAnswers();
  });

  show(fromHash());
})();
