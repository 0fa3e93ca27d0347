// The applicant's form (issue #16): show each chosen file's whole name and size under its input,
// and say when a photo is over the limit that the server will make it smaller. The form works the
// same without this script; nothing here is needed to upload.
(function () {
  "use strict";
  var form = document.querySelector("form.application-form");
  if (!form) return;
  var comma = (document.documentElement.lang || "id").indexOf("en") !== 0;
  function mb(bytes) {
    var text = (Math.round(bytes / 104857.6) / 10).toString();
    return (comma ? text.replace(".", ",") : text) + " MB";
  }
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file") return;
    var output = form.querySelector('output[for="' + input.id + '"]');
    if (!output) return;
    var limit = parseInt(input.getAttribute("data-limit"), 10) * 1024;
    output.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var line = document.createElement("span");
      line.className = "wrap";
      var text = file.name + " (" + mb(file.size) + ")";
      if (file.size > limit && /^image\//.test(file.type || "image/")) text += " " + form.getAttribute("data-will-shrink");
      line.textContent = text;
      output.appendChild(line);
    });
  });
})();
