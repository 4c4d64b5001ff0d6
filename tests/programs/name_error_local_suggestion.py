# expect-exit: 1
# "Did you mean" for a NameError looks at the frame's local variable names
# first, then globals, then builtins.
def total_length(words):
    length = 0
    for w in words:
        length += len(w)
    return lenght

print("start")
total_length(["ab", "cde"])
