// The staff's workspace works without this file. When it runs, each link
// shown once (a read-only field of class "secret") gets a button that
// copies it. The button's words come from the page: <body data-copy
// data-copied>.
(function () {
  "use strict";
  var body = document.body;
  var say = body.getAttribute("data-copy") || "Copy";
  var done = body.getAttribute("data-copied") || "Copied";
  var fields = document.querySelectorAll("input.secret[readonly]");
  Array.prototype.forEach.call(fields, function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary copy";
    button.textContent = say;
    var label = document.querySelector('label[for="' + field.id + '"]');
    if (label) {
      button.setAttribute("aria-label", say + " – " + label.textContent);
    }
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "copied";
    button.addEventListener("click", function () {
      var copied = function () { status.textContent = done; };
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      if (ok) {
        copied();
      } else if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(copied, function () {});
      }
    });
    field.insertAdjacentElement("afterend", status);
    field.insertAdjacentElement("afterend", button);
  });
})();
