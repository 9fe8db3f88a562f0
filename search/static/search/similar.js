// "Similar questions" while a title is typed: debounced fetch of /search/similar/?title=…
(function () {
  "use strict";
  var DELAY = 350;
  var MIN_LENGTH = 4;

  function setup(box) {
    var input = document.getElementById(box.getAttribute("data-input"));
    if (!input) return;
    var list = box.querySelector(".similar-questions__list");
    var answeredText = (box.querySelector(".similar-questions__answered") || {}).textContent || "";
    var timer = null;
    var last = "";
    var controller = null;

    function render(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        link.target = "_blank";
        link.rel = "noopener";
        li.appendChild(link);
        if (item.answered) {
          var state = document.createElement("span");
          state.className = "similar-questions__state";
          state.textContent = " · " + answeredText;
          li.appendChild(state);
        }
        list.appendChild(li);
      });
      box.hidden = results.length === 0;
    }

    function lookup() {
      var title = input.value.trim();
      if (title === last) return;
      last = title;
      if (title.length < MIN_LENGTH) { render([]); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = box.getAttribute("data-url") + "?kind=" + encodeURIComponent(box.getAttribute("data-kind")) +
        "&title=" + encodeURIComponent(title);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { render(data.results || []); })
        .catch(function () { /* aborted or offline: keep what is shown */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY);
    });
    if (input.value) lookup();
  }

  document.querySelectorAll("[data-similar-questions]").forEach(setup);
})();
