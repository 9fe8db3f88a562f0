// Tutorials: a "Copy" button on every code block. Without JavaScript the code is still selectable.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "zh-hans";
  var labels = {
    "zh-hans": ["复制", "已复制"],
    "zh-hant": ["複製", "已複製"],
    en: ["Copy", "Copied"]
  }[lang] || ["Copy", "Copied"];

  document.querySelectorAll("[data-code-block]").forEach(function (block) {
    var code = block.querySelector("pre code");
    var bar = block.querySelector(".code-block__bar");
    if (!code || !bar || !navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button--small button--secondary code-block__copy";
    button.textContent = labels[0];
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = labels[1];
        setTimeout(function () { button.textContent = labels[0]; }, 2000);
      });
    });
    bar.appendChild(button);
  });
})();
