# expect-exit: 1
def f():
    raise ValueError("boom")
print("before")
f()
