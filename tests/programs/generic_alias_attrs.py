# A GenericAlias forwards attributes it lacks to its origin, dunders included, except its own (CPython's attr_exceptions).
print(list[int].__name__, list[int].__qualname__, dict[str, int].__name__)
try: list[int].__foo__
except AttributeError as e: print(e)
print(list[int].append is list.append, list[int].__origin__, list[int].__args__)
import pickle, copy
print(pickle.loads(pickle.dumps(list[int])) == list[int], copy.copy(list[int]))
