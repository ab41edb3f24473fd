// The desk's only script: live progress on a brief page, and the reviewer's keyboard shortcuts.
(function () {
  "use strict";

  // ---- live progress: poll the brief's small JSON endpoint every 2 s until it is done ----
  var panel = document.getElementById("progress");
  if (panel) {
    var seen = panel.dataset.variants;
    var fmt = function (s) {
      s = Math.max(0, Math.floor(s));
      if (s < 60) return s + " s";
      if (s < 3600) return Math.floor(s / 60) + " min " + String(s % 60).padStart(2, "0") + " s";
      return Math.floor(s / 3600) + " h " + String(Math.floor((s % 3600) / 60)).padStart(2, "0") + " min";
    };
    var counts = function (o) {
      return JSON.stringify(Object.keys(o).sort().map(function (k) { return [k, o[k]]; }));
    };
    var userIsTyping = function () {
      return Array.prototype.some.call(document.querySelectorAll("textarea, input[type=text]"), function (el) {
        return el.value.trim() !== "" || el === document.activeElement;
      });
    };
    var render = function (p) {
      var state = document.getElementById("progress-state");
      state.innerHTML = "";
      var badge = document.createElement("span");
      badge.className = "state state-" + p.state;
      badge.textContent = p.state.replace(/_/g, " ");
      state.appendChild(badge);
      document.getElementById("progress-stage").textContent = p.stage;
      var worker = document.getElementById("progress-worker");
      if (worker) { worker.textContent = p.worker_note || ""; worker.hidden = !p.worker_note; }
      document.getElementById("progress-elapsed").textContent = fmt(p.elapsed_s);
      var list = document.getElementById("progress-timeline");
      list.innerHTML = "";
      p.timeline.forEach(function (step) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = step.state.replace(/_/g, " ");
        var took = document.createElement("small");
        took.className = "muted";
        took.textContent = " " + fmt(step.seconds);
        li.append(name, took);
        list.appendChild(li);
      });
      // Counts of variants by state: a change means new drafts or decisions to show.
      if (counts(JSON.parse(seen)) !== counts(p.variants)) {
        if (userIsTyping()) document.getElementById("progress-note").hidden = false;
        else window.location.reload();
      }
    };
    var poll = function () {
      fetch(panel.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (p) {
          render(p);
          if (!p.done) window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); }); // a restart of the server is not the end
    };
    if (panel.dataset.done !== "true") window.setTimeout(poll, 2000);
  }

  // ---- forms: visible counters on long fields (no silent cut: the server refuses what is too long) ----
  document.querySelectorAll("[data-max]").forEach(function (field) {
    var max = parseInt(field.dataset.max, 10);
    var counter = document.createElement("small");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    var update = function () {
      var n = field.value.length;
      counter.textContent = n.toLocaleString() + " / " + max.toLocaleString() +
        (n > max ? " characters: " + (n - max).toLocaleString() + " too many" : " characters");
      counter.classList.toggle("over", n > max);
    };
    field.insertAdjacentElement("afterend", counter);
    field.addEventListener("input", update);
    update();
  });

  // ---- brief form: offer only the channels of the chosen brand ----
  var brandSelect = document.getElementById("brief-brand");
  if (brandSelect) {
    var showChannels = function () {
      document.querySelectorAll("label[data-brands]").forEach(function (label) {
        var used = label.dataset.brands.split(" ").indexOf(brandSelect.value) >= 0;
        label.hidden = !used;
        if (!used) label.querySelector("input").checked = false;
      });
    };
    brandSelect.addEventListener("change", showChannels);
    showChannels();
  }

  // ---- slow actions (checks run on submit): say so, and keep the button from being pressed twice ----
  document.querySelectorAll("form[data-busy]").forEach(function (slow) {
    slow.addEventListener("submit", function (event) {
      var note = slow.querySelector(".busy");
      if (!note) {
        note = document.createElement("span");
        note.className = "busy";
        note.setAttribute("role", "status");
        (slow.querySelector(".actions") || slow).appendChild(note);
      }
      var started = Date.now();
      var tick = function () {
        note.textContent = slow.dataset.busy + " " + Math.round((Date.now() - started) / 1000) + " s";
      };
      tick();
      window.setInterval(tick, 1000);
      // Disabled after the submit event has collected the pressed button's name and value.
      window.setTimeout(function () {
        slow.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
      if (event.submitter) event.submitter.setAttribute("aria-busy", "true");
    });
  });

  // ---- review desk: a approve, r request changes, x reject, e edit, j/k next/prev ----
  var form = document.getElementById("decide-form");
  var comment = document.getElementById("comment");
  var hint = document.getElementById("hint");
  var edit = document.getElementById("edit-form");
  var pending = null;

  var needComment = function (button) {
    pending = button;
    comment.focus();
    hint.textContent = "Type the reason, then Ctrl+Enter to " + button.textContent.replace(/\s+\S$/, "").toLowerCase() + ".";
  };
  var act = function (id) {
    var button = document.getElementById(id);
    if (!button || !form) return;
    if (button.hasAttribute("data-needs-comment") && comment.value.trim() === "") needComment(button);
    else form.requestSubmit(button);
  };
  var toggleEdit = function (show) {
    if (!edit) return;
    edit.hidden = !show;
    if (show) edit.querySelector("input[name=headline]").focus();
  };
  var go = function (id) {
    var link = document.getElementById(id);
    if (link) window.location.href = link.href;
  };

  if (form) {
    form.querySelectorAll("[data-needs-comment]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (comment.value.trim() === "") { event.preventDefault(); needComment(button); }
      });
    });
    var editButton = document.getElementById("btn-edit");
    if (editButton) editButton.addEventListener("click", function () { toggleEdit(edit.hidden); });
    var cancel = document.getElementById("btn-edit-cancel");
    if (cancel) cancel.addEventListener("click", function () { toggleEdit(false); });
  }

  document.addEventListener("keydown", function (event) {
    if (!form && !document.getElementById("next-item")) return;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (typing) {
      if (event.key === "Escape") { event.target.blur(); toggleEdit(false); }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target === comment && pending) {
        event.preventDefault();
        form.requestSubmit(pending);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var keys = {
      a: function () { act("btn-approve"); },
      r: function () { act("btn-changes"); },
      x: function () { act("btn-reject"); },
      e: function () { toggleEdit(true); },
      j: function () { go("next-item"); },
      k: function () { go("prev-item"); },
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
})();
