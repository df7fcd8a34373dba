/*
 * Atlas Hạ tầng — tell Leaflet where its default marker images are.
 *
 * Leaflet finds marker-icon.png by reading leaflet.css from a probe element. When the map
 * script runs before that CSS has loaded (streamlit-folium adds the CSS links without
 * waiting for them), Leaflet falls back to a wrong path (".../leafletmarker-icon.png").
 * Loaded right after leaflet.js (see layers/offline.py), this sets the path from our own
 * URL: .../vendor/atlas-own/leaflet-icon-path.js -> .../vendor/leaflet/images/
 */
(function () {
  var script = document.currentScript;
  if (!window.L || !L.Icon || !L.Icon.Default || !script || !script.src) {
    return;
  }
  L.Icon.Default.imagePath = script.src.replace(
    /atlas-own\/leaflet-icon-path\.js([?#].*)?$/,
    "leaflet/images/"
  );
})();
