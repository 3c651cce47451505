// "Open now" on an offer page (issue 11): reads the week from data-hours (minutes after
// midnight per weekday, Monday first; null = a day that changes from week to week) and
// says whether the office is open at this moment, on the canton's clock (Europe/Zurich)
// whatever the visitor's own time zone. Without JavaScript the table says it all.
(function () {
  "use strict";
  var el = document.querySelector(".open-now[data-hours]");
  if (!el || !window.Intl) return;
  var data;
  try { data = JSON.parse(el.getAttribute("data-hours")); } catch (e) { return; }
  var parts = {};
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Zurich", weekday: "short", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
  var weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
  var today = parts.year + "-" + parts.month + "-" + parts.day;
  var now = (parseInt(parts.hour, 10) % 24) * 60 + parseInt(parts.minute, 10);
  var day = data.days[weekday];
  if (weekday < 0 || day === null || day === undefined) return;
  if (data.holidays.indexOf(today) >= 0) {
    if (!data.holidays_closed) return;  // a holiday with hours of its own: left to the table
    day = [];
  }
  function clock(m) {
    if (m >= 1440) return "24:00";
    return ("0" + Math.floor(m / 60)).slice(-2) + ":" + ("0" + (m % 60)).slice(-2);
  }
  var message = el.getAttribute("data-msg-closed"), state = "closed";
  for (var i = 0; i < day.length; i++) {
    if (day[i][0] <= now && now < day[i][1]) {
      state = day[i][2] ? "appointment" : "open";
      message = el.getAttribute("data-msg-" + state).replace("{time}", clock(day[i][1]));
      break;
    }
  }
  el.textContent = message;
  el.setAttribute("data-state", state);
  el.hidden = false;
})();
