// "Use my location" on the public form: fills the hidden latitude and longitude with the
// browser's position. The form works without it (the address field); the policy of the
// pages takes no inline script, so this is its own file.
(function () {
  "use strict";
  var box = document.getElementById("place-point");
  if (!box || !navigator.geolocation) { return; }
  var lat = document.getElementById("location.lat");
  var lon = document.getElementById("location.lon");
  var use = document.getElementById("place-use");
  var clear = document.getElementById("place-clear");
  var status = document.getElementById("place-status");
  function show(text) { status.textContent = text; }
  function shown() {
    if (lat.value && lon.value) {
      show(box.dataset.found + " " + lat.value + ", " + lon.value);
      clear.hidden = false;
    } else {
      show("");
      clear.hidden = true;
    }
  }
  box.hidden = false;
  shown();
  use.addEventListener("click", function () {
    show(box.dataset.locating);
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      shown();
    }, function () {
      show(box.dataset.failed);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
  clear.addEventListener("click", function () {
    lat.value = "";
    lon.value = "";
    shown();
  });
})();
