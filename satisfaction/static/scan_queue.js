// Scan screens (dispatch, receive, withdraw): a handheld scanner types a code and Enter, many
// a second. Each code goes into a queue the moment Enter is pressed and the field is emptied
// for the next; the queue posts the codes in the background, one at a time and in order, and
// shows each outcome in a running list. The server records a code scanned twice once, so a
// code sent again after a lost connection is safe. Without this script the form posts as is.
(() => {
  "use strict";
  const form = document.querySelector("form[data-queue]");
  const field = form && form.querySelector("input[name=code]");
  if (!field || !window.fetch || !window.FormData) {
    return;
  }
  const list = document.getElementById("scan-results");
  const tally = document.getElementById("scan-tally");
  const waiting = document.getElementById("scan-waiting");
  const note = form.querySelector("[name=note]");
  const queue = [];
  let busy = false;

  const pause = (ms) => new Promise((done) => setTimeout(done, ms));

  const key = (code) => code.toUpperCase().replace(/[^0-9A-Z]/g, "");

  // A row says the code while it is sent, then the server's words (which name the code).
  // A code refused and then recorded (a reason added, say) no longer counts as not recorded.
  function show(row, result, message) {
    row.className = "scan-" + result;
    row.textContent = message;
    if (result === "done" || result === "repeat") {
      for (const earlier of list.querySelectorAll("li.scan-refused")) {
        if (earlier.dataset.code === row.dataset.code) {
          earlier.className = "scan-settled";
        }
      }
    }
    const failed = list.querySelectorAll("li.scan-refused").length;
    document.getElementById("scan-failed").textContent = failed;
    document.getElementById("scan-failed-line").hidden = failed === 0;
  }

  function addRow(code) {
    const row = document.createElement("li");
    row.dataset.code = key(code);
    show(row, "sending", code + " · " + form.dataset.sending);
    list.prepend(row);
    document.getElementById("scan-run").hidden = false;
    const before = document.getElementById("scan-recent");
    if (before) {
      before.hidden = true; // the running list is now the up-to-date one
    }
    return row;
  }

  function showWaiting() {
    const left = queue.length;
    waiting.textContent = left > 1 ? form.dataset.waiting.replace("{n}", left) : "";
  }

  async function post(job) {
    const body = new FormData(form);
    body.set("code", job.code);
    if (note) {
      body.set("note", job.note);
    }
    const response = await fetch(form.dataset.queue, {
      method: "POST", body, credentials: "same-origin", headers: {Accept: "application/json"},
    });
    if (!(response.headers.get("Content-Type") || "").includes("json")) {
      return {result: "refused", message: job.code + " · " + form.dataset.signedOut};
    }
    return response.json();
  }

  async function send(job) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const reply = await post(job);
        show(job.row, reply.result, reply.message);
        if (reply.tally !== undefined) {
          tally.textContent = reply.tally;
        }
        return;
      } catch (error) {
        if (attempt >= 5) {
          show(job.row, "refused", job.code + " · " + form.dataset.offline);
          return;
        }
        show(job.row, "sending", job.code + " · " + form.dataset.retrying);
        await pause(1000 * attempt);
      }
    }
  }

  async function drain() {
    if (busy) {
      return;
    }
    busy = true;
    while (queue.length) {
      await send(queue[0]);
      queue.shift();
      showWaiting();
    }
    busy = false;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = field.value.trim();
    field.value = "";
    field.focus();
    if (code) {
      queue.push({code, note: note ? note.value : "", row: addRow(code)});
      showWaiting();
      drain();
    }
  });

  window.addEventListener("beforeunload", (event) => {
    if (queue.length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
