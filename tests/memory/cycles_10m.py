"""Creates and drops 10 million objects that sit in reference cycles.

    cycles_10m.py [on|off] [COUNT]

With the collector on, peak RSS stays flat (each batch of garbage is found
by the generation-0 collections); with `off` (gc.disable()) every cycle is
kept and memory grows with COUNT. Prints how many objects were made and how
many collections ran.
"""
import gc
import sys


class Node:
    def __init__(self, n):
        self.n = n
        self.other = None


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "on"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    if mode == "off":
        gc.disable()
    made = 0
    while made < count:
        # Pairs of instances pointing at each other, a self-referencing list,
        # and a dict cycle: 4 objects per round.
        a = Node(made)
        b = Node(made + 1)
        a.other = b
        b.other = a
        l = [a]
        l.append(l)
        d = {}
        d["self"] = d
        made += 4
    print("made", made, "collections", sum(s["collections"] for s in gc.get_stats()))


main()
