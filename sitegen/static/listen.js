// Listen: reads the page's main text aloud with the device's own voices (Web Speech API;
// nothing is sent anywhere). The button stays hidden without JavaScript, without speech
// synthesis, and where the device has no voice for the text's language (issue 12).
(function () {
  "use strict";
  var button = document.querySelector("button.listen");
  var synth = window.speechSynthesis;
  if (!button || !synth || !window.SpeechSynthesisUtterance) return;
  var lang = (button.getAttribute("data-lang") || document.documentElement.lang || "").toLowerCase();
  var voice = null;
  var speaking = false;

  function findVoice() {
    var voices = synth.getVoices() || [];
    var close = null;
    for (var i = 0; i < voices.length; i++) {
      var code = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (code === lang) return voices[i];
      if (!close && code.split("-")[0] === lang.split("-")[0]) close = voices[i];
    }
    return close;
  }

  function update() {
    voice = findVoice();
    button.hidden = !voice;
    if (!voice && speaking) stop();
  }

  function label(on) {
    speaking = on;
    button.textContent = button.getAttribute(on ? "data-stop" : "data-listen");
  }

  function stop() {
    synth.cancel();
    label(false);
  }

  // The text as it is read on screen, one block (heading, paragraph, list item) at a time:
  // short utterances start at once and pause naturally between blocks. Navigation, this
  // button, notes about the page and what is marked data-listen-skip are left out.
  function lines() {
    var out = [];
    function walk(parent) {
      for (var i = 0; i < parent.children.length; i++) {
        var el = parent.children[i];
        if (el === button || el.tagName === "NAV" || el.getAttribute("role") === "note" || el.hasAttribute("data-listen-skip")) continue;
        if (/^(DIV|SECTION|ARTICLE)$/.test(el.tagName)) {
          walk(el);
          continue;
        }
        (el.innerText || "").split(/\n+/).forEach(function (line) {
          line = line.trim();
          if (line) out.push(line);
        });
      }
    }
    walk(document.getElementById(button.getAttribute("aria-controls")) || document.querySelector("main"));
    return out;
  }

  button.addEventListener("click", function () {
    if (speaking) return stop();
    synth.cancel();
    var all = lines();
    all.forEach(function (line, n) {
      var utterance = new window.SpeechSynthesisUtterance(line);
      utterance.lang = voice.lang || lang;
      utterance.voice = voice;
      if (n === all.length - 1) utterance.onend = function () { label(false); };
      synth.speak(utterance);
    });
    if (all.length) label(true);
  });
  window.addEventListener("pagehide", function () { synth.cancel(); });
  if (synth.addEventListener) synth.addEventListener("voiceschanged", update);
  update();
})();
