"""The peer of `lumen-bench render`: micrograd's way of drawing a graph, timed.

micrograd draws a Value graph in its trace_graph notebook with `draw_dot`: it walks the graph
from the root, makes one record-shaped Graphviz node per Value ("label | data | grad", four
decimals), one small node per op, edges input -> op -> value, left to right, and hands the
text to Graphviz through the `graphviz` Python package, which runs the `dot` program. This
script does the same (written here, not copied from the notebook) on W2's graph, the graph
`lumen-bench render` draws: K terms tanh(a_i*b_i + c_i) summed left to right, N = 7K - 1 nodes,
after backward.

Run it in the same sitting as the Swift side, one after the other:
    swift run -c release lumen-bench render
    /tmp/peers/bin/python Scripts/render_micrograd_peer.py --nodes=1e3
Needs: micrograd and graphviz (pip install micrograd graphviz) and Graphviz's `dot` on PATH.
Prints RESULT lines like lumen-bench: trace (walking the graph and writing the text) and
render (the `dot` process, which includes its start-up) for SVG and PNG, and cpu_seconds: the
CPU time of this process and of `dot` together (wall time means little on a loaded machine).
"""
import math
import resource
import sys
import time

import graphviz
from micrograd.engine import Value


def tanh(self):
    """micrograd 0.1.0 has no tanh; added as its relu is written (as the other W2 peer does)."""
    t = math.tanh(self.data)
    out = Value(t, (self,), 'tanh')

    def _backward():
        self.grad += (1 - t * t) * out.grad
    out._backward = _backward
    return out


Value.tanh = tanh


def arg(name, default):
    for a in sys.argv[1:]:
        if a.startswith(f"--{name}="):
            return a.split("=", 1)[1]
    return default


def w2_graph(k):
    s = None
    for i in range(k):
        a = Value(((i % 97) - 48) / 48)
        b = Value(((i % 89) - 44) / 44)
        c = Value(((i % 83) - 41) / 41)
        t = (a * b + c).tanh()
        s = t if s is None else s + t
    s.backward()
    return s


def trace(root):
    """Every Value the root depends on, and every (input, value) edge, without recursion."""
    seen, edges, stack = set(), [], [root]
    nodes = []
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        nodes.append(v)
        for child in v._prev:
            edges.append((child, v))
            stack.append(child)
    return nodes, edges


def digraph(root, fmt):
    """The notebook's picture: record nodes, op nodes, left to right."""
    g = graphviz.Digraph(format=fmt, graph_attr={'rankdir': 'LR'})
    nodes, edges = trace(root)
    for v in nodes:
        name = str(id(v))
        g.node(name=name, label="{ %s | data %.4f | grad %.4f }" % ('', v.data, v.grad), shape='record')
        if v._op:
            g.node(name=name + v._op, label=v._op)
            g.edge(name + v._op, name)
    for a, b in edges:
        g.edge(str(id(a)), str(id(b)) + b._op)
    return g, len(nodes)


def cpu_seconds():
    """CPU time of this process and its finished children (the `dot` runs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    target = int(float(arg("nodes", "1e3")))
    k = max(1, round((target + 1) / 7))
    root = w2_graph(k)
    for fmt in ("svg", "png"):
        c0 = cpu_seconds()
        t0 = time.perf_counter()
        g, count = digraph(root, fmt)
        t1 = time.perf_counter()
        data = g.pipe()
        t2 = time.perf_counter()
        cpu = cpu_seconds() - c0
        print(f"RESULT workload=render peer=micrograd-draw_dot threads=1 graph=scalar nodes={count} format={fmt} "
              f"trace_seconds={t1 - t0:.6g} render_seconds={t2 - t1:.6g} total_seconds={t2 - t0:.6g} cpu_seconds={cpu:.6g} "
              f"bytes={len(data)}",
              flush=True)


if __name__ == "__main__":
    main()
