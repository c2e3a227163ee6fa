// Graphviz's layout-and-render library (libgvc) and its graph library (libcgraph).
// Only the Render target sees these headers.
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
