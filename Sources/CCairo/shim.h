// Cairo, the 2-D vector graphics library, with its PNG and SVG surfaces.
// Only the Plots target (drawing) and FileFormats (reading PNG inputs) see these headers.
#include <cairo.h>
#include <cairo-svg.h>
