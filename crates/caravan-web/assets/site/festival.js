// Festival countdowns and local times. Only an enhancement: the server renders every end time
// (in the campaign's time zone and UTC); this script shows it in the buyer's own time and ticks
// a countdown beside it.
(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var local = document.querySelectorAll("time[data-local]");
  for (var i = 0; i < local.length; i++) {
    var at = new Date(local[i].getAttribute("datetime"));
    if (!isNaN(at)) local[i].textContent = at.toLocaleString(document.documentElement.lang);
  }
  var clocks = document.querySelectorAll("time[data-countdown]");
  if (!clocks.length) return;
  var label = {};
  function tick() {
    var now = Date.now();
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i];
      if (!(i in label)) label[i] = el.textContent;
      var left = new Date(el.getAttribute("datetime")) - now;
      if (isNaN(left) || left <= 0) { el.textContent = label[i]; continue; }
      var s = Math.floor(left / 1000), d = Math.floor(s / 86400);
      var clock = pad(Math.floor(s % 86400 / 3600)) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60);
      el.textContent = label[i] + " · " + (d > 0 ? d + "d " : "") + clock;
    }
  }
  tick();
  setInterval(tick, 1000);
})();
