"""Map layers: base map, rendering and styling of pack layers, offline assets."""
