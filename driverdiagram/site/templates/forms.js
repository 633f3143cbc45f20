// The portal's forms ("Report a cycle", "Add a month"): the page's one script, allowed
// by its hash in the Content-Security-Policy. It sends nothing anywhere: it writes the
// report file's text (every value in YAML double quotes, escaped) and offers it as a
// download and as an e-mail. Without it the form stays hidden and the page says what
// to send instead.
(function () {
  "use strict";
  var YAML_SAFE = /^[\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]$/;

  function quoted(text) {
    var out = "";
    var chars = Array.from(String(text));
    for (var i = 0; i < chars.length; i += 1) {
      var c = chars[i];
      var code = c.codePointAt(0);
      if (c === "\\") out += "\\\\";
      else if (c === "\"") out += "\\\"";
      else if (c === "\n") out += "\\n";
      else if (c === "\r") out += "\\r";
      else if (c === "\t") out += "\\t";
      else if (code >= 0xd800 && code <= 0xdfff) out += "\ufffd";
      else if (code > 0xffff) out += c;
      else if (!YAML_SAFE.test(c) || code === 0x2028 || code === 0x2029 || code === 0xfeff) out += "\\u" + ("000" + code.toString(16)).slice(-4);
      else out += c;
    }
    return "\"" + out + "\"";
  }

  function safeName(text) {
    return String(text).replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "report";
  }

  function field(form, name) {
    var element = form.elements.namedItem(name);
    return element ? String(element.value).trim() : "";
  }

  function report(form) {
    var kind = form.getAttribute("data-dd-kind");
    var keys = (form.getAttribute("data-dd-keys") || "").split(" ");
    var lines = [
      "# " + (kind === "pdsa-report" ? "A PDSA cycle" : "A month of data") +
        " from the portal's form: send this file to your coach.",
      "kind: " + quoted(kind),
      "version: \"1\""
    ];
    var fixed = [["diagram", form.getAttribute("data-dd-diagram") || ""]];
    fixed.push(kind === "pdsa-report"
      ? ["change", form.getAttribute("data-dd-change") || ""]
      : ["measure", form.getAttribute("data-dd-measure") || ""]);
    fixed.forEach(function (pair) {
      if (pair[1]) lines.push(pair[0] + ": " + quoted(pair[1]));
    });
    keys.forEach(function (key) {
      var value = field(form, key);
      if (value) lines.push(key + ": " + quoted(value));
    });
    return lines.join("\n") + "\n";
  }

  function fileName(form) {
    var kind = form.getAttribute("data-dd-kind");
    if (kind === "pdsa-report") {
      return safeName(form.getAttribute("data-dd-change")) + "-" +
        safeName(field(form, "start")) + ".pdsa.yaml";
    }
    return safeName(form.getAttribute("data-dd-measure")) + "-" +
      safeName(field(form, "period")) + ".data.yaml";
  }

  function ready(form) {
    var output = form.querySelector(".dd-output");
    var download = form.querySelector(".dd-download");
    var mail = form.querySelector(".dd-mail");
    var preview = form.querySelector(".dd-preview");
    var status = form.querySelector(".dd-status");
    var url = null;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      var kind = form.getAttribute("data-dd-kind");
      if (kind === "data-report" && !field(form, "value") &&
          !(field(form, "numerator") && field(form, "denominator"))) {
        status.textContent = "Give the value, or the numerator and the denominator.";
        return;
      }
      var text = report(form);
      var name = fileName(form);
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob([text], { type: "text/yaml;charset=utf-8" }));
      download.href = url;
      download.download = name;
      download.textContent = "Download " + name;
      var to = form.getAttribute("data-dd-contact") || "";
      mail.href = "mailto:" + encodeURIComponent(to).replace(/%40/g, "@") +
        "?subject=" + encodeURIComponent(name) + "&body=" + encodeURIComponent(text);
      preview.textContent = text;
      output.hidden = false;
      status.textContent = "The file " + name + " is ready: download it or e-mail it.";
    });
  }

  var forms = document.querySelectorAll("form[data-dd-kind]");
  for (var i = 0; i < forms.length; i += 1) {
    var form = forms[i];
    var fallback = document.getElementById(form.getAttribute("data-dd-fallback"));
    if (fallback) fallback.hidden = true;
    form.hidden = false;
    ready(form);
  }
})();
