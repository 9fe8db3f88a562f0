/* Q&A enhancements: votes without reloads, live Markdown preview rendered by the server,
   drafts kept in localStorage while typing, and tag autocomplete. Every feature is an
   enhancement of a plain form that already works without this script. */
(function () {
  "use strict";

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, form, body, extraHeaders) {
    var headers = { "X-CSRFToken": csrf(form), "X-Requested-With": "fetch" };
    Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" });
  }

  function flash(container, text) {
    var note = container.querySelector(".qa-flash");
    if (!note) {
      note = document.createElement("p");
      note.className = "qa-flash";
      note.setAttribute("role", "alert");
      container.appendChild(note);
    }
    note.textContent = text;
  }

  /* Votes */
  document.querySelectorAll("[data-votes]").forEach(function (box) {
    box.querySelectorAll("form[data-vote-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        post(form.action, form, new FormData(form), { Accept: "application/json" })
          .then(function (response) { return response.json().then(function (data) { return [response, data]; }); })
          .then(function (result) {
            var data = result[1];
            if (!result[0].ok) { flash(box, data.error || "Error"); return; }
            box.querySelector("[data-score]").textContent = data.score;
            box.querySelectorAll("form[data-vote-form]").forEach(function (other) {
              var button = other.querySelector("button");
              var direction = parseInt(button.dataset.direction, 10);
              button.setAttribute("aria-pressed", data.value === direction ? "true" : "false");
              other.querySelector("input[name=value]").value = data.value === direction ? "0" : String(direction);
            });
          })
          .catch(function () { form.submit(); });
      });
    });
  });

  /* Live preview, rendered by the server with the same sanitizer as saved posts */
  document.querySelectorAll("[data-preview-button]").forEach(function (button) {
    var form = button.form;
    var target = document.getElementById(button.dataset.previewButton);
    var textarea = button.closest(".field").querySelector("textarea");
    var timer = null;
    function render() {
      var body = new FormData();
      body.append("body", textarea.value);
      post(button.getAttribute("formaction"), form, body).then(function (response) {
        return response.text().then(function (text) {
          if (response.ok) { target.innerHTML = text; } else { target.textContent = text; }
          target.hidden = false;
        });
      });
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      render();
      textarea.dataset.livePreview = "1";
    });
    textarea.addEventListener("input", function () {
      if (!textarea.dataset.livePreview) { return; }
      clearTimeout(timer);
      timer = setTimeout(render, 600);
    });
  });

  /* Drafts kept while typing */
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var store = storage();
    if (!store) { return; }
    var key = "huiju:draft:" + form.dataset.draft;
    var fields = form.querySelectorAll("input[type=text], textarea");
    var status = form.querySelector("[data-draft-status]");
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved) {
      var restored = false;
      fields.forEach(function (field) {
        if (!field.value && saved[field.name]) { field.value = saved[field.name]; restored = true; }
      });
      if (restored && status) { status.textContent = status.dataset.restored || form.dataset.restoredText || "✓"; }
    }
    var timer = null;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var data = {};
        fields.forEach(function (field) { if (field.name) { data[field.name] = field.value; } });
        store.setItem(key, JSON.stringify(data));
        if (status) { status.textContent = form.dataset.savedText || "✓"; }
      }, 400);
    });
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.hasAttribute("data-clears-draft")) { store.removeItem(key); }
    });
  });

  /* Tag autocomplete */
  document.querySelectorAll("input[data-tag-input]").forEach(function (input) {
    var list = input.closest(".field").querySelector("[data-tag-suggestions]");
    var url = input.dataset.autocompleteUrl;
    if (!list || !url) { return; }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    list.id = list.id || "tag-suggestions";
    input.setAttribute("aria-controls", list.id);
    var active = -1;
    var timer = null;

    function tokens() { return input.value.split(/[\s,，]+/); }
    function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
    function choose(name) {
      var parts = tokens();
      parts[parts.length - 1] = name;
      input.value = parts.filter(Boolean).join(" ") + " ";
      close();
      input.focus();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) { input.setAttribute("aria-activedescendant", items[index].id); }
    }
    input.addEventListener("input", function () {
      var prefix = tokens().pop();
      clearTimeout(timer);
      if (!prefix) { close(); return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(prefix), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            list.innerHTML = "";
            (data.results || []).forEach(function (tag, i) {
              var item = document.createElement("li");
              item.id = list.id + "-" + i;
              item.setAttribute("role", "option");
              item.dataset.name = tag.name;
              var name = document.createElement("strong");
              name.textContent = tag.name;
              item.appendChild(name);
              var count = document.createElement("span");
              count.className = "muted small";
              count.textContent = " ×" + tag.count + (tag.synonym ? " (" + tag.synonym + ")" : "");
              item.appendChild(count);
              if (tag.excerpt) {
                var excerpt = document.createElement("span");
                excerpt.className = "muted small qa-tag-suggestions__excerpt";
                excerpt.textContent = tag.excerpt;
                item.appendChild(excerpt);
              }
              item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(tag.name); });
              list.appendChild(item);
            });
            list.hidden = !list.children.length;
            input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
            active = -1;
          })
          .catch(close);
      }, 200);
    });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active].dataset.name); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
