// The applicant's form (issue #16): show each chosen file's whole name and size under its input,
// and make phone photos smaller in the browser before they are sent (issue #19): a 3 MB photo takes a
// minute to go up on a slow mobile line and costs the applicant's data, while the server only keeps a
// smaller copy of it. The photo is decoded upright (its EXIF orientation applied), drawn at the
// server's own longest side and encoded as JPEG at the server's qualities until it fits the
// requirement's limit (`data-photo-side`, `data-photo-qualities`, `data-limit`); the canvas writes no
// metadata, so the GPS position stays on the phone. When the browser cannot (no createImageBitmap, a
// HEIC it does not decode, a broken file) or the copy is not smaller, the file goes as it was chosen.
// The server checks and shrinks whatever arrives, as it does without this script; nothing here is
// needed to upload.
(function () {
  "use strict";
  var form = document.querySelector("form.application-form");
  if (!form) return;
  var comma = (document.documentElement.lang || "id").indexOf("en") !== 0;
  var side = parseInt(form.getAttribute("data-photo-side"), 10) || 0;
  var qualities = (form.getAttribute("data-photo-qualities") || "").split(" ").map(Number).filter(Boolean);
  var canShrink = side > 0 && qualities.length > 0 && typeof window.createImageBitmap === "function" &&
    typeof window.DataTransfer === "function" && typeof window.File === "function" &&
    !!document.createElement("canvas").toBlob;
  var made = typeof WeakSet === "function" ? new WeakSet() : null;  // the copies this script put in an input
  var pending = {};   // input id -> the promise of its photos being made smaller
  var queue = Promise.resolve();  // one photo at a time: a cheap phone has little memory

  function mb(bytes) {
    var text = (Math.round(bytes / 104857.6) / 10).toString();
    return (comma ? text.replace(".", ",") : text) + " MB";
  }

  function kindOf(file) {
    var name = (file.name || "").toLowerCase();
    if (file.type === "image/jpeg" || /\.jpe?g$/.test(name)) return "jpg";
    if (file.type === "image/png" || /\.png$/.test(name)) return "png";
    if (/^image\/hei[cf]/.test(file.type) || /\.hei[cf]$/.test(name)) return "heic";
    return /^image\//.test(file.type) ? "image" : "";
  }

  // Whether the file carries metadata the server would strip by re-encoding it anyway (EXIF, XMP).
  function hasMetadata(file) {
    if (!file.slice || !window.Uint8Array) return Promise.resolve(true);
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () {
        var bytes = new Uint8Array(reader.result), text = "";
        for (var i = 0; i < bytes.length; i += 8192) {
          text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
        }
        resolve(/Exif\u0000\u0000|http:\/\/ns\.adobe\.com\/xap\/1\.0\/|eXIf|XML:com\.adobe\.xmp/.test(text));
      };
      reader.onerror = function () { resolve(true); };
      reader.readAsArrayBuffer(file.slice(0, 131072));
    });
  }

  // Which of the chosen files the server would re-encode (upload_store): several photos become one PDF,
  // a photo over the limit or with metadata is shrunk; a JPEG goes where a JPEG (or a photo as PDF) is taken.
  function worthShrinking(input, files) {
    var types = (input.getAttribute("data-types") || "").split(" ");
    var asPdf = input.hasAttribute("data-photo-pdf") && types.indexOf("pdf") !== -1;
    var jpegTaken = types.indexOf("jpg") !== -1 && files.length === 1;
    var limit = parseInt(input.getAttribute("data-limit"), 10) * 1024;
    return Promise.all(files.map(function (file) {
      var kind = kindOf(file);
      if (!kind || !(jpegTaken || asPdf)) return false;
      if (files.length > 1 || file.size > limit || types.indexOf(kind) === -1) return true;
      return hasMetadata(file);
    }));
  }

  function encode(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality / 100); });
  }

  // A JPEG copy of `file` within `budget` bytes, tried as the server tries (pintu.storage.photos.photos_fit):
  // the longest side at most `side`, the qualities in turn, then fewer pixels; null when none is smaller.
  function shrink(file, budget) {
    return createImageBitmap(file, {imageOrientation: "from-image"}).then(function (bitmap) {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d");
      var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      var width = Math.max(1, Math.round(bitmap.width * scale)), height = Math.max(1, Math.round(bitmap.height * scale));
      var level = 0, attempts = 0;
      function draw() {
        canvas.width = width;
        canvas.height = height;
        context.fillStyle = "#fff";  // a transparent PNG's background, as the server fills it
        context.fillRect(0, 0, width, height);
        context.imageSmoothingEnabled = true;
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, width, height);
      }
      function next(blob) {
        if (!blob || blob.size <= budget || ++attempts >= 10) return blob;
        var ratio = budget / blob.size;
        if (ratio > 0.7 && level < qualities.length - 1) {  // nearly there: a lower quality costs less than pixels
          level += 1;
          return encode(canvas, qualities[level]).then(next);
        }
        var factor = Math.max(0.5, Math.min(0.9, Math.sqrt(ratio) * 0.95));
        if (Math.max(width, height) * factor < 600) return blob;  // the server says what to do with it
        width = Math.max(1, Math.floor(width * factor));
        height = Math.max(1, Math.floor(height * factor));
        draw();
        return encode(canvas, qualities[level]).then(next);
      }
      draw();
      return encode(canvas, qualities[level]).then(next).then(function (blob) {
        if (bitmap.close) bitmap.close();
        canvas.width = canvas.height = 0;
        if (!blob || blob.size >= file.size) return null;
        var name = (file.name || "foto").replace(/\.[^.\/]*$/, "") + ".jpg";
        var copy = new File([blob], name, {type: "image/jpeg", lastModified: file.lastModified || Date.now()});
        if (made) made.add(copy);
        return copy;
      });
    }).catch(function () { return null; });
  }

  function show(input, files, notes) {
    var output = form.querySelector('output[for="' + input.id + '"]');
    if (!output) return;
    var limit = parseInt(input.getAttribute("data-limit"), 10) * 1024;
    output.textContent = "";
    files.forEach(function (file, i) {
      var line = document.createElement("span");
      line.className = "wrap";
      var text = file.name + " (" + mb(file.size) + ")";
      if (notes) {  // what this script does to it
        if (notes[i]) text += " " + notes[i];
      } else if (file.size > limit && /^image\//.test(file.type || "image/")) {
        text += " " + form.getAttribute("data-will-shrink");
      }
      line.textContent = text;
      output.appendChild(line);
    });
  }

  // What the photos weighed as chosen, for the server's note ("foto diperkecil ke 0,8 MB"); checks use the files.
  function chosenBytes(input, bytes) {
    var name = input.name + "-asli";
    var field = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!bytes) {
      if (field) field.parentNode.removeChild(field);
      return;
    }
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      input.parentNode.insertBefore(field, input.nextSibling);
    }
    field.value = String(bytes);
  }

  function photosShrink(input, files) {
    var token = {};
    input.pintuToken = token;
    chosenBytes(input, 0);
    var limit = parseInt(input.getAttribute("data-limit"), 10) * 1024;
    var budget = files.length > 1 ? Math.floor(limit / files.length * 0.97) : limit;
    var done = worthShrinking(input, files).then(function (worth) {
      if (!worth.some(Boolean)) {
        if (input.pintuToken === token) show(input, files);
        return;
      }
      if (input.pintuToken !== token) return;
      show(input, files, worth.map(function (w) { return w ? form.getAttribute("data-shrinking") : ""; }));
      var copies = [];
      files.forEach(function (file, i) {
        queue = queue.then(function () {
          return input.pintuToken === token && worth[i] ? shrink(file, budget) : null;
        }).then(function (copy) { copies[i] = copy; });
      });
      return queue.then(function () {
        if (input.pintuToken !== token || !copies.some(Boolean)) {
          if (input.pintuToken === token) show(input, files);
          return;
        }
        var transfer = new DataTransfer();
        files.forEach(function (file, i) { transfer.items.add(copies[i] || file); });
        input.files = transfer.files;
        chosenBytes(input, files.reduce(function (sum, file) { return sum + file.size; }, 0));
        var template = form.getAttribute("data-shrunk");
        show(input, files, copies.map(function (copy) {
          return copy ? template.replace("{size}", mb(copy.size)) : "";
        }));
      });
    }).catch(function () { if (input.pintuToken === token) show(input, files); });
    pending[input.id] = done;
    done.then(function () { if (pending[input.id] === done) delete pending[input.id]; });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file") return;
    var files = Array.prototype.slice.call(input.files || []);
    if (made && files.length && files.every(function (file) { return made.has(file); })) return;
    if (canShrink && files.length) {
      show(input, files, []);
      photosShrink(input, files);
    } else {
      input.pintuToken = {};  // a choice still being made smaller is forgotten
      show(input, files);
      chosenBytes(input, 0);
    }
  });

  // A tap on a button while photos are still being made smaller: send once they are ready.
  form.addEventListener("submit", function (event) {
    var waiting = Object.keys(pending).map(function (id) { return pending[id]; });
    if (!waiting.length) return;
    event.preventDefault();
    var submitter = event.submitter;
    Promise.all(waiting).then(function () {
      if (form.requestSubmit) {
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        return;
      }
      if (submitter && submitter.name) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = submitter.name;
        field.value = submitter.value;
        form.appendChild(field);
      }
      form.submit();
    });
  });
})();
