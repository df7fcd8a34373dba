/*
 * Atlas Hạ tầng — large layers drawn from vector tiles, styled in the browser.
 *
 * Geometry comes from a PMTiles archive on the app's own static server (atlas/tiles.py),
 * drawn on canvas by protomaps-leaflet (npm). Each tile feature carries only `i`, its row in
 * the layer; colours, names and the values shown in tooltips and popups come from a small
 * value table (layers/vector_tiles.py), fetched by URL. A year, scheme or scenario change
 * therefore fetches a new value table and repaints the tiles already in memory: no geometry
 * is sent again, and the map is never rebuilt.
 *
 * `__atlasTiles.sync(group, specs)` is called by every map update (the server's
 * TiledLayers element, inside a Leaflet feature group): once the group is on its map, the
 * map's tiled layers become exactly `specs` (bottom first). A layer whose archive is
 * unchanged is kept as is (its tile cache too); only its values or opacity are updated.
 *
 * Text from the pack (names, labels, values) is only ever set with textContent: it stays text.
 */
(function () {
  "use strict";
  if (window.__atlasTiles || !window.L) {
    return;
  }
  var BASE_Z = 250; // above basemap tiles (z-index 1 in the tile pane)

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) {
        throw new Error("atlas tiles: " + r.status + " " + url);
      }
      return r.json();
    });
  }

  function Tiled(map, spec) {
    this.map = map;
    this.spec = spec;
    this.values = null;
    this.valuesUrl = null;
    this.loaded = false;
    this.painted = false;
    var self = this;
    var ready = function () {
      return self.values !== null;
    };
    var style = function (f) {
      var row = self.values.style[f.props.i];
      return self.values.palette[row === undefined ? 0 : row] || {};
    };
    // A dense layer (a nation's communes) seen whole would be a grey mass of borders: its
    // lines start at 30 % of their width at the zoom that shows it all and reach full width
    // four zooms deeper.
    var thinning = function (z) {
      if (!spec.dense) {
        return 1;
      }
      var whole = spec.min_zoom + 3; // data zoom + 1 (512 px tiles) + the 2 zooms of margin
      return Math.min(1, Math.max(0.3, 0.3 + (0.7 * (z - whole)) / 4));
    };
    var rules = [];
    if (spec.kind === "polygon") {
      rules.push({
        dataLayer: "f",
        filter: function (z, f) {
          return ready() && style(f).fill !== false;
        },
        symbolizer: new protomapsL.PolygonSymbolizer({
          fill: function (z, f) {
            return style(f).fillColor || "#3388ff";
          },
          opacity: function (z, f) {
            return style(f).fillOpacity;
          },
          perFeature: true,
        }),
      });
    }
    rules.push({
      dataLayer: "f",
      filter: function (z, f) {
        return ready() && (style(f).weight || 0) > 0;
      },
      symbolizer: new protomapsL.LineSymbolizer({
        color: function (z, f) {
          return style(f).color || "#3388ff";
        },
        width: function (z, f) {
          return style(f).weight * thinning(z);
        },
        opacity: function (z, f) {
          return style(f).opacity;
        },
        dash: null,
        lineJoin: "round",
        lineCap: "round",
        perFeature: true,
      }),
    });
    this.layer = protomapsL.leafletLayer({
      url: spec.url,
      maxDataZoom: spec.max_zoom,
      paintRules: rules,
      labelRules: [],
      attribution: "",
      tileDelay: 0,
    });
    this.layer.on("load", function () {
      self.loaded = true;
      if (self.values) {
        self.painted = true;
      }
    });
    this.layer.on("loading", function () {
      self.loaded = false;
    });
    this.update(spec);
    this.layer.addTo(map);
  }

  Tiled.prototype.update = function (spec) {
    var self = this;
    this.spec = spec;
    this.layer.setOpacity(spec.opacity);
    this.layer.setZIndex(BASE_Z + spec.order);
    if (spec.values === this.valuesUrl) {
      return;
    }
    this.valuesUrl = spec.values;
    this.painted = false;
    fetchJson(spec.values).then(function (values) {
      if (self.valuesUrl !== spec.values) {
        return; // a newer table was asked for meanwhile
      }
      self.values = values;
      self.layer.rerenderTiles();
      if (self.loaded) {
        requestAnimationFrame(function () {
          self.painted = true;
        });
      }
    }, function (err) {
      console.error(err);
    });
  };

  Tiled.prototype.remove = function () {
    this.map.removeLayer(this.layer);
  };

  // What lies under the pointer, topmost tiled layer first: {tiled, row} or null.
  function pick(map, latlng) {
    var layers = (map.__atlasTiled || []).slice().reverse();
    for (var k = 0; k < layers.length; k++) {
      var t = layers[k];
      if (!t.values || t.spec.opacity <= 0) {
        continue;
      }
      var found = t.layer.queryTileFeaturesDebug(latlng.lng, latlng.lat, 4).get("") || [];
      for (var n = found.length - 1; n >= 0; n--) {
        var row = found[n].feature.props.i;
        if (t.values.rows[row] !== undefined) {
          return { tiled: t, row: row };
        }
      }
    }
    return null;
  }

  function table(values, cols, cells) {
    var tbl = document.createElement("table");
    tbl.className = "atlas-fields";
    cols.forEach(function (col) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      var td = document.createElement("td");
      th.textContent = values.cols[col];
      td.textContent = cells[col + 1];
      tr.appendChild(th);
      tr.appendChild(td);
      tbl.appendChild(tr);
    });
    return tbl;
  }

  function tooltipContent(values, row) {
    var cells = values.rows[row];
    var div = document.createElement("div");
    if (values.tip.length) {
      div.appendChild(table(values, values.tip, cells));
    } else {
      var b = document.createElement("b");
      b.textContent = cells[0];
      div.appendChild(b);
    }
    return div;
  }

  function popupContent(values, row) {
    var cells = values.rows[row];
    var div = document.createElement("div");
    div.className = "atlas-popup";
    if (cells[0]) {
      var title = document.createElement("div");
      title.className = "atlas-popup-title";
      var b = document.createElement("b");
      b.textContent = cells[0];
      title.appendChild(b);
      div.appendChild(title);
    }
    if (values.pop.length) {
      var tbl = table(values, values.pop, cells);
      if (values.year) {
        var tr = document.createElement("tr");
        var th = document.createElement("th");
        var td = document.createElement("td");
        th.textContent = values.year[0];
        td.textContent = values.year[1];
        tr.appendChild(th);
        tr.appendChild(td);
        tbl.appendChild(tr);
      }
      div.appendChild(tbl);
    }
    return div;
  }

  function overSvgFeature(e) {
    var target = e.originalEvent && e.originalEvent.target;
    return !!(target && target.classList && target.classList.contains("leaflet-interactive"));
  }

  function listen(map) {
    var tip = L.tooltip({ sticky: true, direction: "auto", className: "atlas-tile-tooltip" });
    var shown = null;
    map.on("mousemove", function (e) {
      var hit = overSvgFeature(e) ? null : pick(map, e.latlng);
      var key = hit ? hit.tiled.spec.key + ":" + hit.row : null;
      if (!hit) {
        if (shown) {
          map.closeTooltip(tip);
          shown = null;
        }
        map.getContainer().style.cursor = "";
        return;
      }
      if (key !== shown) {
        tip.setContent(tooltipContent(hit.tiled.values, hit.row));
        shown = key;
      }
      tip.setLatLng(e.latlng);
      if (!map.hasLayer(tip)) {
        map.openTooltip(tip);
      }
      map.getContainer().style.cursor = "pointer";
    });
    map.on("mouseout", function () {
      map.closeTooltip(tip);
      shown = null;
    });
    map.on("click", function (e) {
      if (overSvgFeature(e)) {
        return;
      }
      var hit = pick(map, e.latlng);
      if (hit && hit.tiled.values.pop !== null) {
        map.closeTooltip(tip);
        shown = null;
        L.popup({ maxWidth: 320 })
          .setLatLng(e.latlng)
          .setContent(popupContent(hit.tiled.values, hit.row))
          .openOn(map);
      }
    });
  }

  function reconcile(map, specs) {
    var kept = {};
    (map.__atlasTiled || []).forEach(function (t) {
      kept[t.spec.key + "|" + t.spec.url] = t;
    });
    var next = specs.map(function (spec, order) {
      var full = Object.assign({}, spec, { order: order });
      var t = kept[spec.key + "|" + spec.url];
      if (t) {
        delete kept[spec.key + "|" + spec.url];
        t.update(full);
        return t;
      }
      return new Tiled(map, full);
    });
    Object.keys(kept).forEach(function (k) {
      kept[k].remove();
    });
    map.__atlasTiled = next;
    if (!map.__atlasTilesListening) {
      map.__atlasTilesListening = true;
      listen(map);
    }
  }

  var maps = [];

  window.__atlasTiles = {
    sync: function (group, specs) {
      var run = function () {
        var map = group._map;
        if (!map) {
          return;
        }
        if (maps.indexOf(map) < 0) {
          maps.push(map);
        }
        reconcile(map, specs);
      };
      if (group._map) {
        run();
      } else {
        group.once("add", run);
      }
    },
    // True when every tiled layer of every map has its values and its tiles painted.
    painted: function () {
      var all = [];
      maps.forEach(function (m) {
        all = all.concat(m.__atlasTiled || []);
      });
      return all.length > 0 && all.every(function (t) {
        return t.painted;
      });
    },
    count: function () {
      var n = 0;
      maps.forEach(function (m) {
        n += (m.__atlasTiled || []).length;
      });
      return n;
    },
  };
})();
